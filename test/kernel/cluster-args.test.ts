import assert from 'node:assert/strict';
import { errors, rewriter } from './kernel-modules';

const env = { isLocalFunction: () => false };

/** The sgKernel.cluster spec a `%cluster` line becomes. */
function spec(line: string): unknown {
  const r = rewriter.tryRewriteCell(line, env);
  if (r instanceof errors.KernelError) throw r;
  const json = /sgKernel\.cluster\((\{.*\}), \{ show: true \}\)/.exec(r.code)?.[1];
  assert.ok(json !== undefined, r.code);
  return JSON.parse(json);
}

function failure(line: string): string {
  const r = rewriter.tryRewriteCell(line, env);
  assert.ok(r instanceof errors.KernelError, `${line} should be refused`);
  return `${r.message} ${r.hint ?? ''}`;
}

describe('%cluster ssh arguments (ssh)', () => {
  it('reads hosts with *N, --procs and the ssh flags', () => {
    assert.deepEqual(spec('%cluster ssh node7 user@node8*4 --procs 2 --ssh-args "-F /tmp/cfg -J jump" --worker-command "npx --no-install sg-worker" --advertise 10.0.0.9 --ready-timeout 5'), {
      action: 'ssh',
      hosts: [{ host: 'node7' }, { host: 'user@node8', procs: 4 }],
      launch: { procs: 2, sshArgs: ['-F', '/tmp/cfg', '-J', 'jump'], workerCommand: 'npx --no-install sg-worker', advertise: '10.0.0.9' },
      options: { readyTimeoutMs: 5000 },
    });
  });

  it('refuses what it cannot use, saying what to write', () => {
    assert.match(failure('%cluster ssh'), /needs at least one host/);
    assert.match(failure('%cluster ssh node7*0'), /whole number ≥ 1/);
    assert.match(failure('%cluster ssh node7 --procs 0'), /--procs must be a whole number ≥ 1/);
    assert.match(failure('%cluster ssh -oProxyCommand=x'), /is not a host/);
    assert.match(failure('%cluster ssh node7 --servers 2'), /--servers is for local clusters/);
    assert.match(failure('%cluster local --ssh-args "-p 2"'), /--ssh-args is for %cluster ssh/);
    assert.match(failure('%cluster connect tcp://h:1 --procs 2'), /--procs is for clusters this kernel starts/);
  });

  it('%cluster local takes --procs as well as N', () => {
    assert.deepEqual(spec('%cluster local --procs 3'), { action: 'local', options: {}, procs: 3 });
    assert.match(failure('%cluster local 4 --procs 8'), /give the executor count once, as N or as --procs N, not both/);
  });
});
