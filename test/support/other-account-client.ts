/**
 * Run as another account (the test spawns it with that uid): a client with
 * its own default key tries the worker at argv[2] and, if it is let in, runs a
 * task that writes the file argv[3]. Prints one JSON line: what happened.
 */
import { spawnScatterGather } from '@scattergather/kernel-ext';

async function main(): Promise<void> {
  const [url, marker] = process.argv.slice(2) as [string, string];
  const c = await spawnScatterGather([url], { readyTimeoutMs: 10_000 });
  let outcome: { ready: boolean; code?: string; message?: string };
  try {
    await c.ready();
    outcome = { ready: true };
  } catch (error) {
    outcome = { ready: false, code: (error as { code?: string }).code, message: (error as Error).message };
  }
  const write = (path: string): void => { (require('node:fs') as typeof import('node:fs')).writeFileSync(path, 'ran as the worker\'s user'); };
  c.addJob([[[marker]]], { fn: write });
  await new Promise((resolve) => setTimeout(resolve, 500));
  await c.close();
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
}

void main();
