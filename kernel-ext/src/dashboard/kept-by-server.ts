import type { ClusterStatus } from '../client/api-types.js';

export interface KeptOnServer {
  server: string;
  values: number;
  bytes: number;
}

/** What each server holds of kept results and put values, from the status's references; empty when there are none. */
export function keptByServer(refs: ClusterStatus['refs']): KeptOnServer[] {
  const byServer = new Map<string, KeptOnServer>();
  for (const ref of refs) {
    if (ref.state !== 'ready') continue;
    for (const server of ref.servers) {
      const row = byServer.get(server) ?? { server, values: 0, bytes: 0 };
      row.values += 1;
      row.bytes += Math.max(0, ref.size);
      byServer.set(server, row);
    }
  }
  return [...byServer.values()].sort((a, b) => a.server.localeCompare(b.server));
}
