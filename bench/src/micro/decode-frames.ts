/**
 * `node bench/dist/micro/decode-frames.js [ROUNDS]`: the decode cost of the
 * hot path in one process, no sockets: a 200-task `run` frame as the worker
 * server and an executor read it, and the 200-result `done` frame as the
 * controller reads it. Prints microseconds per frame (median of ROUNDS).
 */
import { decodeMessage, decodeValue, encodeMessage, encodeValue, type Message } from '@scattergather/protocol';
import { nowMs } from '../timing.js';
import { summarize } from '../stats.js';

const TASKS = 200;
const FRAMES_PER_ROUND = 500;

const run = encodeMessage({ t: 'run', fns: [{ name: 'echo' }], tasks: Array.from({ length: TASKS }, (_, i) => [i, 0, encodeValue([i]), 0]) });
const done = encodeMessage({ t: 'done', results: Array.from({ length: TASKS }, (_, i) => [i, true, encodeValue(i), 0.01, 4242, '']) });

function decodeRunAndArgs(): void {
  const decoded = decodeMessage(run);
  if (!decoded.ok) throw decoded.error;
  for (const task of (decoded.message as Message<'run'>).tasks) decodeValue(task[2]);
}

function decodeDone(): void {
  if (!decodeMessage(done).ok) throw new Error('done frame did not decode');
}

/** Microseconds per call of `fn`, one sample per round of FRAMES_PER_ROUND calls. */
function measure(fn: () => void, rounds: number): number[] {
  const samples: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const started = nowMs();
    for (let i = 0; i < FRAMES_PER_ROUND; i++) fn();
    samples.push(((nowMs() - started) * 1000) / FRAMES_PER_ROUND);
  }
  return samples;
}

const rounds = Number(process.argv[2] ?? 30);
measure(decodeRunAndArgs, 5);
measure(decodeDone, 5);
for (const [name, fn] of [['run frame + 200 task args', decodeRunAndArgs], ['done frame of 200 results', decodeDone]] as const) {
  const s = summarize(measure(fn, rounds));
  console.log(`${name} (${name.startsWith('run') ? run[0]?.byteLength : done[0]?.byteLength} bytes): median ${s.median.toFixed(1)} µs, min ${s.min.toFixed(1)} µs, max ${s.max.toFixed(1)} µs per frame (${rounds} rounds × ${FRAMES_PER_ROUND})`);
}
