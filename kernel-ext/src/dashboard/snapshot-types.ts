import type { ClusterStatus, InstalledModule } from '../client/api-types.js';
import type { KeptOnServer } from './kept-by-server.js';

/**
 * A bar of the task stream: one task, or several short tasks of one set that one
 * executor ran back to back (so a bar is never thinner than a pixel or two).
 * Times are ms since the epoch, on the client's clock.
 */
export type StreamBar = [id: number, lane: string, start: number, end: number, set: number, tasks: number, failed: number];

/** One executor's row of the task stream. */
export interface StreamLane { lane: string; server: string; pid: number }

export interface SetRow {
  id: number;
  fn: string;
  size: number;
  done: number;
  failed: number;
  /** Tasks per second over the last few seconds (over the whole run, once complete). */
  rate: number;
  /** Seconds left at that rate; null when it cannot be told. */
  eta: number | null;
  startedAt: number;
  finishedAt?: number;
}

export interface ErrorRow { id: number; at: number; set: number; index: number; server: string; pid: number; name: string; message: string; stack: string }

/** A point of the charts: when, tasks finished per second, and the status round trip in ms (null when not measured). */
export type SeriesPoint = [at: number, throughput: number, latency: number | null];

/**
 * What the page receives, pushed a few times a second. The first event to a page
 * has everything; later ones carry only the bars, points and errors that are new
 * or changed since that page's previous event (the rest is small and always whole).
 */
export interface DashboardSnapshot {
  now: number;
  /** The stream's window in ms: bars older than this are gone. */
  windowMs: number;
  status: ClusterStatus | null;
  lanes: StreamLane[];
  bars: StreamBar[];
  sets: SetRow[];
  series: SeriesPoint[];
  errors: ErrorRow[];
  modules: InstalledModule[];
  /** What each server holds of kept results and put values, when there are any. */
  kept?: KeptOnServer[];
}
