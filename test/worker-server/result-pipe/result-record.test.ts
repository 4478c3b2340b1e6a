import assert from 'node:assert/strict';
import { decodeValue, encodeValue, RecordSplitter, type ResultItem } from '@scattergather/protocol';
import { join, resolve } from 'node:path';

// Not part of the package's exports: loaded from its build (this file runs from test/dist/worker-server/result-pipe).
const DIST = resolve(__dirname, '..', '..', '..', '..', 'worker-server', 'dist', 'result-pipe');
/* eslint-disable @typescript-eslint/no-require-imports */
const { decodeResultRecord, encodeResultRecord } = require(join(DIST, 'result-record.js')) as typeof import('../../../worker-server/src/result-pipe/result-record.js');
/* eslint-enable @typescript-eslint/no-require-imports */

const big = new Float64Array(20_000).map((_, i) => i);
const results: ResultItem[] = [
  [1, true, encodeValue(42), 0.25, 1234, ''],
  [2 ** 40, false, encodeValue({ name: 'RangeError', message: 'née' }), 3.5, 99, 'printed: ✓\n'],
  [3, true, encodeValue(big), 12, 7, ''],
];

describe('worker-server/result-pipe: result records', () => {
  it('round-trip a result, its output and its blobs, however the stream is cut', () => {
    const stream = Buffer.concat(results.flatMap((result) => encodeResultRecord(result)));
    for (const cut of [1, 7, 4096, stream.byteLength]) {
      const splitter = new RecordSplitter(2 ** 31);
      const records: Buffer[] = [];
      for (let at = 0; at < stream.byteLength; at += cut) records.push(...splitter.push(stream.subarray(at, at + cut)));
      assert.equal(splitter.buffered, 0);
      const decoded = records.map(decodeResultRecord);
      assert.deepEqual(decoded.map(([id, ok, , ms, pid, output]) => [id, ok, ms, pid, output]), results.map(([id, ok, , ms, pid, output]) => [id, ok, ms, pid, output]));
      assert.deepEqual(decoded.map((r) => decodeValue(r[2])), results.map((r) => decodeValue(r[2])), `cut every ${cut} bytes`);
    }
  });

  it('refuses a malformed record and one over the limit', () => {
    const [prefix, head] = encodeResultRecord(results[0] as ResultItem) as [Buffer, Buffer];
    assert.throws(() => decodeResultRecord(head.subarray(0, head.byteLength - 2)), /malformed record/);
    assert.throws(() => decodeResultRecord(Buffer.concat([head, Buffer.from([1])])), /malformed record/);
    assert.throws(() => new RecordSplitter(16).push(Buffer.concat([prefix, head])), /over the 16-byte limit/);
  });
});
