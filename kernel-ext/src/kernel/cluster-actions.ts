/** What `%cluster SUBCOMMAND` does, one entry per subcommand. */
import type { ClusterStatus, ReadyInfo } from '../client/api-types.js';
import { asKernelError, KernelError } from './errors.js';
import type { MimeBundle } from './html.js';
import type { ClusterSpec } from './runtime-api.js';
import type { ClientModule, SgClient } from './client-types.js';
import { dashboardBundle } from './dashboard-view.js';
import { statusBundle } from './status-view.js';

export interface ClusterHost {
  client(): SgClient;
  connected(): boolean;
  /** Replaces the current client (closing the old one) or, with undefined, forgets it after closing. */
  replace(next: SgClient | undefined): Promise<void>;
  load(): ClientModule;
}

export interface ActionResult {
  value: unknown;
  view: MimeBundle;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

async function start(host: ClusterHost, what: string, make: () => Promise<SgClient>): Promise<ActionResult> {
  const hadOne = host.connected();
  let client: SgClient | undefined;
  try {
    client = await make();
    const info: ReadyInfo = await client.ready();
    await host.replace(client);
    const text =
      `${what}: ${plural(info.servers, 'server')}, ${plural(info.executors, 'executor')} ready` +
      (hadOne ? ' (the previous cluster was stopped)' : '') +
      ' — the client is `sg`';
    return { value: info, view: { 'text/plain': text } };
  } catch (e) {
    await client?.close().catch(() => undefined);
    throw asKernelError(e, 'CLUSTER_ERROR', `could not start the ${what}`, 'Check the URLs, the key file and that the servers run; %cluster status shows what is connected.');
  }
}

type Action<S extends ClusterSpec['action']> = (host: ClusterHost, spec: Extract<ClusterSpec, { action: S }>) => Promise<ActionResult>;

const ACTIONS: { [S in ClusterSpec['action']]: Action<S> } = {
  local: (host, spec) =>
    start(host, 'local cluster', () => {
      const options = { ...spec.options, servers: spec.servers ?? 1, ...(spec.procs ? { procs: spec.procs } : {}) };
      return host.load().localCluster(options);
    }),
  connect: (host, spec) => start(host, 'cluster', () => host.load().spawnScatterGather(spec.servers, spec.options)),
  ssh: (host, spec) => start(host, 'ssh cluster', () => host.load().sshCluster(spec.hosts, { ...spec.options, ...spec.launch })),
  status: async (host) => {
    const s: ClusterStatus = await host.client().status();
    return { value: s, view: statusBundle(s) };
  },
  refresh: async (host) => {
    const client = host.client();
    await client.command('refresh');
    const s = await client.status();
    const pids = s.executors.map((e) => e.pid).join(', ');
    return { value: s, view: { 'text/plain': `refreshed: ${plural(s.executors.length, 'executor')} re-forked (pids ${pids})` } };
  },
  dashboard: async (host, spec) => {
    const url = await host.client().dashboard();
    return { value: url, view: dashboardBundle(url, spec.inline) };
  },
  die: async (host) => {
    host.client();
    await host.replace(undefined);
    return { value: undefined, view: { 'text/plain': 'cluster stopped: the controller and any local workers are gone' } };
  },
};

export async function runClusterAction(host: ClusterHost, spec: ClusterSpec): Promise<ActionResult> {
  const action = ACTIONS[spec.action] as Action<typeof spec.action>;
  try {
    return await action(host, spec as never);
  } catch (e) {
    throw e instanceof KernelError ? e : asKernelError(e, 'CLUSTER_ERROR', `%cluster ${spec.action} failed`);
  }
}
