/**
 * Process entry: cancels a client's Slurm jobs once that client is gone.
 * Reads job ids from stdin, one a line; when stdin ends (the client closed it,
 * or died however it died) it runs scancel on them all and exits.
 */
import { execFile } from 'node:child_process';
import { createInterface } from 'node:readline';

const ids: string[] = [];
createInterface({ input: process.stdin })
  .on('line', (line) => {
    if (/^\d+$/.test(line.trim())) ids.push(line.trim());
  })
  .on('close', () => {
    if (ids.length === 0) process.exit(0);
    execFile('scancel', ids, { timeout: 30_000 }, (error) => process.exit(error === null ? 0 : 1));
  });
