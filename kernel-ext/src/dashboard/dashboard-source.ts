import type { ClientResultItem } from '@scattergather/protocol';
import type { ClusterStatus, HandleLike, InstalledModule, SetHandle, SetProgress } from '../client/api-types.js';

/** Hears each batch of results as it arrives, with a way to name each result's server. */
export type ResultTap = (items: readonly ClientResultItem[], serverUrl: (index: number) => string) => void;

/** What the dashboard reads from its client (a ScatterGather). */
export interface DashboardSource {
  status(): Promise<ClusterStatus>;
  sets(): SetHandle[];
  progress(h: HandleLike): SetProgress;
  modules(): InstalledModule[];
  tapResults(tap: ResultTap): () => void;
}
