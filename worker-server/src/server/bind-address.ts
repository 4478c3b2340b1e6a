import { WorkerServerError } from '../errors.js';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)$/;

/** The host of a --bind URL; throws unless it is tcp://HOST:PORT. */
export function bindHost(url: string): string {
  const match = /^tcp:\/\/(.+):(\d+|\*)$/.exec(url);
  // ZeroMQ takes a port past 65535 modulo 65536: 99999 would listen on 34463.
  if (match === null || Number(match[2]) > 65535) {
    throw new WorkerServerError('ERR_BIND_URL', `--bind takes tcp://HOST:PORT (e.g. tcp://127.0.0.1:5555, or port 0 for a free one), not '${url}'`);
  }
  return match[1] as string;
}

/** Checks a --bind URL; without a cluster key only loopback may be bound, since anyone who can connect can run code. */
export function checkBindAddress(url: string, hasKey: boolean): void {
  const host = bindHost(url);
  if (!hasKey && !LOOPBACK.test(host)) {
    throw new WorkerServerError('ERR_BIND_INSECURE', `refusing to listen on ${host} without a cluster key: anyone who reaches it could run code here. Use a loopback address (127.0.0.1), or leave out --no-key: then your own key (~/.config/scattergather/cluster.key) or --key-file FILE is used, and only clients holding it are obeyed`);
  }
}
