import type { ServerSpec } from '@scattergather/protocol';
import type { ClusterStatus } from './api-types.js';
import { ScatterGatherError } from './errors.js';

/** Why `ready()` timed out: which addresses stayed silent (asked of the controller, briefly), and how to fix it. */
export async function notReadyError(timeoutMs: number, cause: Error, servers: readonly ServerSpec[], status: () => Promise<ClusterStatus>): Promise<Error> {
  const answer = await Promise.race([status(), new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 2000).unref())]).catch(() => undefined);
  const silent = answer?.servers.filter((s) => !s.alive).map((s) => s.url) ?? servers.map((s) => s.url);
  return new ScatterGatherError('ERR_NOT_READY', `no answer within ${timeoutMs} ms from ${silent.join(', ')} (the address${silent.length === 1 ? '' : 'es'} this client tried): is sg-worker running there and reachable from this machine? If it is known by another name or address here, start it with --advertise HOST (the launchers' advertise option) or list the address that works; it must also use the same key file`, { cause });
}
