import assert from 'node:assert/strict';
import { checkServerSpec, formatServerSpec, parseReadyLine, parseServerSpec } from '@scattergather/protocol';

describe('protocol/transport: server specs', () => {
  it('read URL, URL*N and, for a pipe link, #pipe=DIR (URI-encoded: a spec holds no space)', () => {
    assert.deepEqual(parseServerSpec('tcp://127.0.0.1:5555'), { url: 'tcp://127.0.0.1:5555' });
    assert.deepEqual(parseServerSpec('tcp://127.0.0.1:5555*3'), { url: 'tcp://127.0.0.1:5555', workers: 3 });
    const spec = { url: 'tcp://127.0.0.1:5555', workers: 2, pipe: '/tmp/a dir/sg-link-AbC123' };
    const text = formatServerSpec(spec);
    assert.equal(text.includes(' '), false, text);
    assert.deepEqual(parseServerSpec(text), spec);
    assert.deepEqual(parseServerSpec('tcp://h:1#pipe=/tmp/x'), { url: 'tcp://h:1', pipe: '/tmp/x' }, 'a plain path reads as itself');
  });

  it('refuse a pipe link that is not an absolute path, a URL that is none, and a URL that smuggles a mark in', () => {
    assert.throws(() => parseServerSpec('tcp://h:1#pipe=relative/dir'), /absolute directory path/);
    assert.throws(() => parseServerSpec('h:1'), /not a worker server address/);
    // A URL a remote worker printed, or a user typed, never carries a pipe link in: only a spec's own mark does.
    assert.throws(() => checkServerSpec({ url: 'tcp://h:1#pipe=%2Ftmp%2Fx' }), /not a worker server address/);
    assert.equal(parseReadyLine('sg-worker listening on tcp://h:1#pipe=%2Ftmp%2Fx with 2 executors'), undefined);
  });
});
