import { hostname } from 'node:os';

const WILDCARD = /^(0\.0\.0\.0|\*|\[::\]|::)$/;

/**
 * The address controllers are told to use: the bound endpoint with its host
 * replaced by `advertise`, or by this machine's host name when it is bound to
 * every interface (0.0.0.0 is no address anyone can connect to).
 */
export function advertisedUrl(boundUrl: string, advertise: string | undefined): string {
  const match = /^tcp:\/\/(.+):(\d+)$/.exec(boundUrl);
  if (match === null) return boundUrl;
  const host = match[1] as string;
  const shown = advertise ?? (WILDCARD.test(host) ? hostname() : host);
  return `tcp://${shown}:${match[2] as string}`;
}
