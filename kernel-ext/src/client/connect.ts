import { availableParallelism } from 'node:os';
import { loadOrCreateDefaultKey, makePrivateDir, readKeyFile, writeKeyFile, type ServerSpec } from '@scattergather/protocol';
import type { ClientOptions, LocalClusterOptions } from './api-types.js';
import { checkClientOptions } from './check-options.js';
import { asClientError, ScatterGatherError } from './errors.js';
import { LocalServers } from './local-cluster.js';
import { ScatterGather } from './scatter-gather.js';
import { toServerSpecs } from './server-list.js';

/** Spawns a controller for these worker servers; `await c.ready()` before relying on them. */
export async function spawnScatterGather(urls: Array<string | ServerSpec>, options: ClientOptions = {}): Promise<ScatterGather> {
  if (!Array.isArray(urls) || urls.length === 0) {
    throw new ScatterGatherError('ERR_NO_SERVERS', 'spawnScatterGather needs at least one worker server URL, e.g. [\'tcp://127.0.0.1:5555\'] (start one with: npx sg-worker)');
  }
  checkClientOptions(options);
  const specs = toServerSpecs(urls);
  return ScatterGather.start(specs, { ...options, keyFile: checkedKeyFile(options, () => loadOrCreateDefaultKey().path) });
}

/**
 * The key file a client uses (undefined for noKey; `fallback()` when none is
 * given), checked here, so that a bad one is the caller's error now rather than
 * a controller that exits later.
 */
function checkedKeyFile(options: ClientOptions, fallback: () => string | undefined): string | undefined {
  if (options.noKey === true && options.keyFile !== undefined) throw new ScatterGatherError('ERR_KEY_OPTIONS', 'give keyFile or noKey, not both');
  return asClientError(() => {
    const keyFile = options.noKey === true ? undefined : options.keyFile ?? fallback();
    if (keyFile !== undefined) readKeyFile(keyFile);
    return keyFile;
  });
}

/** Starts sg-worker processes on 127.0.0.1 and a client connected to them; `close()` stops them all. */
export async function localCluster(options: LocalClusterOptions = {}): Promise<ScatterGather> {
  const { servers = 1, procs = availableParallelism(), ...clientOptions } = options;
  for (const [name, n] of [['servers', servers], ['procs', procs]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new ScatterGatherError('ERR_LOCAL_CLUSTER', `localCluster: ${name} must be a whole number ≥ 1, not ${String(n)}`);
  }
  checkClientOptions(clientOptions);
  // A local cluster makes its own key unless given one, in a directory only this user can read.
  const keyDir = clientOptions.keyFile === undefined && clientOptions.noKey !== true ? makePrivateDir('key') : undefined;
  if (keyDir !== undefined) writeKeyFile(`${keyDir.dir}/cluster.key`);
  const keyFile = checkedKeyFile(clientOptions, () => keyDir === undefined ? undefined : `${keyDir.dir}/cluster.key`);
  const stopAll = async (local?: LocalServers): Promise<void> => {
    await local?.stop();
    keyDir?.remove();
  };
  // The servers and the controller start side by side; the controller learns the servers' addresses when they are up.
  let client: ScatterGather | undefined;
  // A server that exits before the client exists is told to it as soon as it does.
  const earlyExits: Array<[server: number, how: string]> = [];
  const onExit = (server: number, how: string): void => {
    if (client === undefined) earlyExits.push([server, how]);
    else client.serverExited(server, how);
  };
  const starting = LocalServers.start(servers, procs, keyFile, clientOptions.logFile, onExit);
  let local: LocalServers | undefined;
  try {
    const specs = starting.then((started) => {
      local = started;
      return started.specs;
    });
    const started = await ScatterGather.start(specs, { sharedMemory: true, ...clientOptions, keyFile });
    client = started;
    for (const [server, how] of earlyExits) started.serverExited(server, how);
    started.onClose = () => stopAll(local);
    // Every process has read the key once the controller reports ready: keep it on disk no longer.
    if (keyDir !== undefined) void started.ready().then(() => keyDir.remove(), () => keyDir.remove());
    return started;
  } catch (error) {
    // Servers that started although the controller could not are stopped too (LocalServers stops its own on failure).
    await stopAll(local ?? (await starting.catch(() => undefined)));
    throw error;
  }
}
