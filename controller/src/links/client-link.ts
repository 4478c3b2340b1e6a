import { fstatSync } from 'node:fs';
import type { ChannelHandlers, ChannelMessage } from '@scattergather/protocol';
import { ControllerError } from '../errors.js';
import type { Logger } from '../logger.js';
import { PipeClientLink } from './pipe-client-link.js';
import { ZmqClientLink } from './zmq-client-link.js';

/** The controller's side of its one client, whatever carries it. */
export interface ClientLink {
  /** Reads the client's messages until it is gone (then resolves). */
  start(handlers: ChannelHandlers<'clientToController'>): Promise<void>;
  send(message: ChannelMessage<'controllerToClient'>): void;
  /** Resolves once what was sent has left, or after `timeoutMs`. */
  drain(timeoutMs: number): Promise<void>;
  close(): void;
}

/**
 * The link the --jobs and --results URLs name: `fd://N`, pipes its client
 * handed it when it spawned it (a hop through no ZeroMQ I/O thread), or
 * `ipc://PATH`, a PUSH/PULL pair the client bound.
 */
export function openClientLink(jobsUrl: string, resultsUrl: string, log: Logger): ClientLink {
  const fds = clientFds(jobsUrl, resultsUrl);
  return fds === undefined ? new ZmqClientLink(jobsUrl, resultsUrl, log) : new PipeClientLink(fds.jobs, fds.results, log);
}

/** The two file descriptors of an fd:// pair, undefined for ipc:// endpoints; throws for a mix of both. */
export function clientFds(jobsUrl: string, resultsUrl: string): { jobs: number; results: number } | undefined {
  const [jobs, results] = [fdOf(jobsUrl), fdOf(resultsUrl)];
  if (jobs === undefined && results === undefined) return undefined;
  if (jobs === undefined || results === undefined) throw new ControllerError('ERR_CLIENT_LINK', `--jobs and --results are both fd://N or both ipc:// endpoints, not ${jobsUrl} and ${resultsUrl}`);
  return { jobs, results };
}

/** N of `fd://N` (3 or more: 0-2 are stdio); undefined for another scheme. */
export function fdOf(url: string): number | undefined {
  if (!url.startsWith('fd://')) return undefined;
  const fd = Number(url.slice('fd://'.length));
  if (!Number.isInteger(fd) || fd < 3) throw new ControllerError('ERR_CLIENT_LINK', `${url}: an fd:// link names a file descriptor of 3 or more, as the client passed it (e.g. fd://3)`);
  // Only a client that spawns us passes these; run by hand, the descriptor is not open (or is not a pipe).
  const kind = fdKind(fd);
  if (kind !== 'pipe') throw new ControllerError('ERR_CLIENT_LINK', `${url}: file descriptor ${fd} is ${kind}; fd:// links are the pipes a client passes when it starts this controller itself (spawnScatterGather does)`);
  return fd;
}

function fdKind(fd: number): string {
  try {
    const stat = fstatSync(fd);
    // A client's stdio 'pipe' is a socketpair; Node's own descriptors (its event loop's, its signal pipe) are not sockets.
    return stat.isSocket() ? 'pipe' : 'not a pipe from a client';
  } catch {
    return 'not open';
  }
}
