import { ProtocolError } from '../errors.js';

/** A worker server to use, and how many of its executors to keep busy (default: all it has). */
export interface ServerSpec {
  url: string;
  workers?: number;
}

const URL_PATTERN = /^(tcp|ipc|inproc):\/\/.+/;

/** Parses `URL` or `URL*N`, as `%cluster connect` and `sg-controller --server` take them. */
export function parseServerSpec(text: string): ServerSpec {
  const star = text.lastIndexOf('*');
  const url = star > 0 && /^\d+$/.test(text.slice(star + 1)) ? text.slice(0, star) : text;
  const spec = checkServerSpec({ url });
  if (url !== text) spec.workers = Number(text.slice(star + 1));
  return checkServerSpec(spec);
}

export function formatServerSpec(spec: ServerSpec): string {
  return spec.workers === undefined ? spec.url : `${spec.url}*${spec.workers}`;
}

export function checkServerSpec(spec: ServerSpec): ServerSpec {
  if (typeof spec.url !== 'string' || !URL_PATTERN.test(spec.url)) {
    throw new ProtocolError('ERR_SERVER_URL', `'${String(spec.url)}' is not a worker server address: write it as tcp://HOST:PORT (what sg-worker printed when it started)`);
  }
  if (spec.workers !== undefined && !(Number.isInteger(spec.workers) && spec.workers > 0)) {
    throw new ProtocolError('ERR_SERVER_WORKERS', `workers for ${spec.url} must be a positive whole number, not ${String(spec.workers)}`);
  }
  return { ...spec };
}
