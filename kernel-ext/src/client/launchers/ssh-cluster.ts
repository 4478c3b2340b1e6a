import { formatClusterKey, loadOrCreateDefaultKey, readKeyFile } from '@scattergather/protocol';
import type { SshClusterOptions, SshHost } from '../api-types.js';
import { checkClientOptions } from '../check-options.js';
import { spawnScatterGather } from '../connect.js';
import { asClientError, ScatterGatherError } from '../errors.js';
import type { ScatterGather } from '../scatter-gather.js';
import { defaultWorkerCommand, remoteWorkerCommand, resolveSshHostName } from './ssh-command.js';
import { toSshTargets, type SshTarget } from './ssh-hosts.js';
import { SshSession } from './ssh-session.js';

/** How long starting the whole cluster may take, ssh logins included, unless readyTimeoutMs says otherwise. */
const DEFAULT_LAUNCH_TIMEOUT_MS = 30_000;

/**
 * Starts one sg-worker per host through the system `ssh` and a client connected to them all;
 * resolves once every worker answered. `close()` ends every ssh session and so every worker.
 */
export async function sshCluster(hosts: ReadonlyArray<string | SshHost>, options: SshClusterOptions = {}): Promise<ScatterGather> {
  const { procs, sshArgs = [], workerCommand = defaultWorkerCommand(), advertise, ...clientOptions } = options;
  checkClientOptions(clientOptions);
  const targets = toSshTargets(hosts, procs);
  if (clientOptions.noKey === true) {
    throw new ScatterGatherError('ERR_SSH_NO_KEY', 'sshCluster needs a cluster key: its workers listen on the network. Drop noKey (the user\'s key is used) or pass keyFile');
  }
  const key = asClientError(() => (clientOptions.keyFile === undefined ? loadOrCreateDefaultKey().key : readKeyFile(clientOptions.keyFile)));
  const budgetMs = clientOptions.readyTimeoutMs ?? DEFAULT_LAUNCH_TIMEOUT_MS;
  const deadline = Date.now() + budgetMs;
  const sessions: SshSession[] = [];
  const stopAll = async (): Promise<void> => { await Promise.all(sessions.map((s) => s.stop())); };

  const startOne = async (target: SshTarget): Promise<{ url: string; session: SshSession }> => {
    const address = target.advertise ?? advertise ?? await resolveSshHostName(target.host, sshArgs);
    const session = SshSession.open(target, sshArgs, remoteWorkerCommand(workerCommand, target, address), formatClusterKey(key));
    sessions.push(session);
    return { url: await session.ready(deadline - Date.now(), budgetMs), session };
  };
  let client: ScatterGather | undefined;
  try {
    const started = await allStarted(targets.map(startOne));
    const connected = await spawnScatterGather(started.map((s) => s.url), clientOptions);
    client = connected;
    client.onClose = stopAll;
    // A session that ends takes its worker with it: its controller need not wait for missed heartbeats.
    started.forEach(({ session }, server) => session.onExit((how) => connected.serverExited(server, `its ssh session ended: ${how}`)));
    await client.ready({ timeoutMs: Math.max(0, deadline - Date.now()) });
    return client;
  } catch (error) {
    await (client === undefined ? stopAll() : client.close()).catch(() => undefined);
    throw error;
  }
}

/** Waits for every start (so none is left half-open), then fails with all the hosts that failed, or succeeds. */
async function allStarted<T>(starts: Array<Promise<T>>): Promise<T[]> {
  const outcomes = await Promise.allSettled(starts);
  const failed = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as Error] : []));
  if (failed.length === 1) throw failed[0] as Error;
  if (failed.length > 1) throw new ScatterGatherError('ERR_SSH', `${failed.length} hosts failed to start a worker:\n\n${failed.map((e) => e.message).join('\n\n')}`, { cause: failed });
  return outcomes.map((o) => (o as PromiseFulfilledResult<T>).value);
}
