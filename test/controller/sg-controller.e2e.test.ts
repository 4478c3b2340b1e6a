import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pull, Push } from 'zeromq';
import { decodeMessage, encodeMessage, makePrivateDir, type ChannelMessage } from '@scattergather/protocol';
import { SG_CONTROLLER, stopProcess } from '../support/processes';

/** No server listens here: the controller connects and retries quietly, which these tests do not mind. */
const NOBODY = 'tcp://127.0.0.1:9';

function startController(jobs: string, results: string): ChildProcess {
  return spawn(process.execPath, [SG_CONTROLLER, '--jobs', jobs, '--results', results, '--server', NOBODY, '--no-key', '--exit-with-stdin'], { stdio: ['pipe', 'ignore', 'pipe'] });
}

/** Runs `test` as a controller's client: a job PUSH and a result PULL bound in a fresh private directory, closed after. */
async function asClient(test: (sockets: { dir: ReturnType<typeof makePrivateDir>; jobs: Push; results: Pull }) => Promise<void>): Promise<void> {
  const dir = makePrivateDir('client');
  const jobs = new Push({ linger: 0 });
  const results = new Pull({ linger: 0, receiveTimeout: 5000 });
  try {
    await jobs.bind(dir.endpoint('jobs'));
    await results.bind(dir.endpoint('results'));
    await test({ dir, jobs, results });
  } finally {
    jobs.close();
    results.close();
    dir.remove();
  }
}

function exited(child: ChildProcess, timeoutMs: number): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sg-controller did not exit within ${timeoutMs} ms`)), timeoutMs);
    child.once('exit', (code) => { clearTimeout(timer); resolve(code); });
  });
}

describe('sg-controller (a real process, the test as its client)', function () {
  this.timeout(20_000);
  const children: ChildProcess[] = [];
  afterEach(async () => {
    await Promise.all(children.splice(0).map((child) => stopProcess(child, 'SIGKILL')));
  });

  it('answers a command named after an Object.prototype property (constructor) with an unknown-command error', async () => {
    await asClient(async ({ dir, jobs, results }) => {
      children.push(startController(dir.endpoint('jobs'), dir.endpoint('results')));
      for (const [req, name] of [[1, 'constructor'], [2, '__proto__'], [3, 'toString']] as const) {
        await jobs.send(encodeMessage({ t: 'command', req, name }));
        const decoded = decodeMessage(await results.receive());
        assert.ok(decoded.ok);
        const reply = decoded.message as ChannelMessage<'controllerToClient'>;
        assert.equal(reply.t, 'reply');
        assert.ok(reply.t === 'reply' && reply.req === req && !reply.ok);
        assert.match(String(reply.error?.message), new RegExp(`unknown command '${name}'; commands: status, refresh, cancel, add-servers, server-exited, die`));
      }
    });
  });

  it('on losing its client, removes the client\'s private directory and nothing else', async () => {
    // A client killed outright leaves its directory and socket files.
    const dir = makePrivateDir('client');
    const [jobs, results] = [dir.endpoint('jobs'), dir.endpoint('results')];
    for (const endpoint of [jobs, results]) {
      const listenThenDie = `require('node:net').createServer().listen(${JSON.stringify(endpoint.slice('ipc://'.length))}, () => process.kill(process.pid, 'SIGKILL'))`;
      spawnSync(process.execPath, ['-e', listenThenDie], { timeout: 10_000 });
    }
    const ours = startController(jobs, results);
    children.push(ours);
    ours.stdin?.end();
    assert.equal(await exited(ours, 10_000), 0);
    assert.equal(existsSync(dir.dir), false, 'the client\'s private directory is gone');

    // Endpoints somewhere else (ipc:///tmp/j would name /tmp itself): nothing there is touched.
    const elsewhere = mkdtempSync(join(tmpdir(), 'user-files-'));
    try {
      chmodSync(elsewhere, 0o700);
      writeFileSync(join(elsewhere, 'precious.txt'), 'the user\'s');
      const theirs = startController(`ipc://${join(elsewhere, 'j')}`, `ipc://${join(elsewhere, 'r')}`);
      children.push(theirs);
      theirs.stdin?.end();
      assert.equal(await exited(theirs, 10_000), 0);
      assert.ok(existsSync(join(elsewhere, 'precious.txt')), 'the user\'s file is still there');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('--servers-from-stdin: takes its servers from the first line of stdin, and says so when none comes', async () => {
    await asClient(async ({ dir, jobs, results }) => {
      const args = [SG_CONTROLLER, '--jobs', dir.endpoint('jobs'), '--results', dir.endpoint('results'), '--servers-from-stdin', '--no-key', '--exit-with-stdin'];
      const child = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      children.push(child);
      child.stdin?.write(`${NOBODY}*3 tcp://127.0.0.1:10\n`);
      await jobs.send(encodeMessage({ t: 'command', req: 1, name: 'status' }));
      const decoded = decodeMessage(await results.receive());
      assert.ok(decoded.ok && decoded.message.t === 'reply' && decoded.message.ok);
      const status = (decoded.message as ChannelMessage<'controllerToClient'> & { value: { servers: Array<{ url: string }> } }).value;
      assert.deepEqual(status.servers.map((s) => s.url), [NOBODY, 'tcp://127.0.0.1:10']);

      const waiting = spawn(process.execPath, args, { stdio: ['pipe', 'ignore', 'pipe'] });
      children.push(waiting);
      let stderr = '';
      waiting.stderr?.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk; });
      const code = exited(waiting, 10_000);
      waiting.stdin?.end();
      assert.notEqual(await code, 0);
      assert.match(stderr, /--servers-from-stdin: no line of servers on standard input \(closed\)/);
    });
  });

  it('names a mistyped flag before a missing one, and then the missing one', () => {
    const bogus = spawnSync(process.execPath, [SG_CONTROLLER, '--bogus'], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(bogus.status, 0);
    assert.match(bogus.stderr, /unknown option '--bogus'/);
    const missing = spawnSync(process.execPath, [SG_CONTROLLER, '--server', NOBODY, '--no-key'], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(missing.status, 0);
    assert.match(missing.stderr, /required option '--jobs <url>' not specified/);
  });

  it('refuses fd:// links it was not given (run by hand), without a stack', () => {
    // Without a client's pipes, 3 and 4 are closed or Node's own (its event loop's, its signal pipe), none a client's socketpair.
    const byHand = spawnSync(process.execPath, [SG_CONTROLLER, '--jobs', 'fd://3', '--results', 'fd://4', '--server', NOBODY, '--no-key'], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(byHand.status, 0);
    assert.match(byHand.stderr, /fd:\/\/[34]: file descriptor [34] is not (open|a pipe from a client); fd:\/\/ links are the pipes a client passes/);
    const internal = spawnSync(process.execPath, [SG_CONTROLLER, '--jobs', 'fd://5', '--results', 'fd://6', '--server', NOBODY, '--no-key'], { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(internal.status, 0);
    assert.match(internal.stderr, /fd:\/\/5: file descriptor 5 is not (open|a pipe from a client)/);
    assert.doesNotMatch(byHand.stderr, /\n\s+at /, 'no stack trace');
  });

  it('says so, without a stack, when its --log-file cannot be written (a directory)', () => {
    const args = [SG_CONTROLLER, '--jobs', 'ipc:///nonexistent/jobs', '--results', 'ipc:///nonexistent/results', '--server', NOBODY, '--no-key', '--log-file', tmpdir()];
    const logDir = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 20_000 });
    assert.notEqual(logDir.status, 0);
    assert.match(logDir.stderr, /sg-controller: cannot write the log file .* \(EISDIR/);
    assert.doesNotMatch(logDir.stderr, /\n\s+at /, 'no stack trace');
  });
});
