/** Loads the client API lazily, so the kernel starts without loading zeromq until a cluster is needed. */
import * as path from 'node:path';
import type * as Client from '../index.js';
import type { ClientModule, SgClient } from './client-types.js';

/** The compiled client module (kernel-ext/dist/index.js). */
export const CLIENT_MODULE_PATH = path.join(__dirname, '..', 'index.js');

/** Compile-time proof that the client offers what the kernel uses. */
export const CLIENT_MATCHES: Client.ScatterGather extends SgClient ? true : false = true;

let loaded: ClientModule | undefined;

export function loadClient(): ClientModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const client = require(CLIENT_MODULE_PATH) as typeof Client;
  loaded ??= { spawnScatterGather: client.spawnScatterGather, localCluster: client.localCluster, sshCluster: client.sshCluster, remoteFunction: client.remoteFunction };
  return loaded;
}

/** Whether `e` is an error the client raised itself (a ScatterGatherError, e.g. a MapError): its message says all, its stack is the client's. */
export function isClientError(e: unknown): e is Error {
  const client = require.cache[CLIENT_MODULE_PATH]?.exports as typeof Client | undefined;
  return client !== undefined && e instanceof client.ScatterGatherError;
}
