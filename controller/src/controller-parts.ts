import type { ErrorState, ServerSpec } from '@scattergather/protocol';
import type { TaskBook } from './dispatch/task-book.js';
import type { TaskOutcomes } from './dispatch/task-outcomes.js';
import type { Logger } from './logger.js';
import type { KeptValues } from './refs/kept-values.js';
import type { ServerFleet } from './servers/server-fleet.js';

/** Defaults the client gave when it started the controller. */
export interface ControllerSettings {
  heartbeatMs: number;
  retries: number;
  timeoutMs: number | undefined;
  /** This client's share of each worker server's executors, relative to other clients' (default 1). */
  weight: number;
}

/**
 * What the message handlers work with: the controller's parts, each the owner
 * of its own facts. The handlers see this interface, not the Controller class.
 */
export interface ControllerParts {
  readonly settings: ControllerSettings;
  readonly log: Logger;
  readonly book: TaskBook;
  readonly outcomes: TaskOutcomes;
  readonly fleet: ServerFleet;
  readonly kept: KeptValues;
  /** Replies to a client request; results finished before it leave first. */
  reply(req: number, outcome: { value: unknown } | { error: ErrorState }): void;
  /** Sends `ready` to the client once every server has answered (again after servers were added). */
  checkReady(): void;
  /** Tells the client that server number `server` cannot be used, and why (not its key), so that ready() says so. */
  trouble(server: number, reason: string): void;
  /** Connects to more worker servers while running. */
  addServers(specs: ServerSpec[]): void;
  /** Deals queued tasks at the end of this turn, once, however many messages asked for it. */
  dispatchSoon(): void;
  stop(): Promise<void>;
}
