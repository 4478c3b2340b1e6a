import { availableParallelism } from 'node:os';
import { checkServerSpec, loadOrCreateDefaultKey, makePrivateDir, readKeyFile, writeKeyFile, type ServerSpec } from '@scattergather/protocol';
import type { ClientOptions, LocalClusterOptions } from './api-types.js';
import { ScatterGatherError } from './errors.js';
import { LocalServers } from './local-cluster.js';
import { ScatterGather } from './scatter-gather.js';

/** Spawns a controller for these worker servers; `await c.ready()` before relying on them. */
export async function spawnScatterGather(urls: Array<string | ServerSpec>, options: ClientOptions = {}): Promise<ScatterGather> {
  if (!Array.isArray(urls) || urls.length === 0) {
    throw new ScatterGatherError('ERR_NO_SERVERS', 'spawnScatterGather needs at least one worker server URL, e.g. [\'tcp://127.0.0.1:5555\'] (start one with: npx sg-worker)');
  }
  const specs = urls.map((u) => checkServerSpec(typeof u === 'string' ? { url: u } : u));
  const twice = specs.find((spec, i) => specs.findIndex((other) => other.url === spec.url) !== i);
  if (twice !== undefined) throw new ScatterGatherError('ERR_SERVER_TWICE', `${twice.url} is listed twice; list each worker server once (use { url, workers } to limit how many of its executors to use)`);
  if (options.noKey === true && options.keyFile !== undefined) throw new ScatterGatherError('ERR_KEY_OPTIONS', 'give keyFile or noKey, not both');
  // Checked here, so a bad key file is the caller's error now rather than a controller that exits later.
  const keyFile = options.noKey === true ? undefined : options.keyFile ?? loadOrCreateDefaultKey().path;
  if (keyFile !== undefined) readKeyFile(keyFile);
  return ScatterGather.start(specs, { ...options, keyFile });
}

/** Starts sg-worker processes on 127.0.0.1 and a client connected to them; `close()` stops them all. */
export async function localCluster(options: LocalClusterOptions = {}): Promise<ScatterGather> {
  const { servers = 1, procs = availableParallelism(), ...clientOptions } = options;
  for (const [name, n] of [['servers', servers], ['procs', procs]] as const) {
    if (!Number.isInteger(n) || n < 1) throw new ScatterGatherError('ERR_LOCAL_CLUSTER', `localCluster: ${name} must be a whole number ≥ 1, not ${String(n)}`);
  }
  // A local cluster makes its own key unless given one, in a directory only this user can read.
  const keyDir = clientOptions.keyFile === undefined && clientOptions.noKey !== true ? makePrivateDir('key') : undefined;
  const keyFile = keyDir === undefined ? clientOptions.keyFile : `${keyDir.dir}/cluster.key`;
  if (keyDir !== undefined) writeKeyFile(`${keyDir.dir}/cluster.key`);
  const stopAll = async (local?: LocalServers): Promise<void> => {
    await local?.stop();
    keyDir?.remove();
  };
  let local: LocalServers | undefined;
  try {
    local = await LocalServers.start(servers, procs, keyFile, clientOptions.logFile);
    const client = await spawnScatterGather(local.urls, { sharedMemory: true, ...clientOptions, keyFile });
    client.onClose = () => stopAll(local);
    // Every process has read the key once the controller reports ready: keep it on disk no longer.
    if (keyDir !== undefined) void client.ready().then(() => keyDir.remove(), () => keyDir.remove());
    return client;
  } catch (error) {
    await stopAll(local);
    throw error;
  }
}
