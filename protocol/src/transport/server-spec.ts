import { ProtocolError } from '../errors.js';

/** A worker server to use, and how many of its executors to keep busy (default: all it has). */
export interface ServerSpec {
  url: string;
  workers?: number;
  /**
   * A private directory where the server (`sg-worker --pipe-link DIR`) made a FIFO pair for one controller on
   * its machine: that controller talks to it there instead of through `url` (how a local cluster links its own).
   */
  pipe?: string;
}

/** What follows a spec's URL[*N] when it names a pipe link: the directory, URI-encoded (a spec holds no spaces). */
const PIPE_MARK = '#pipe=';

/** A scheme, then no whitespace and no '#' (which only a pipe link's mark may add, after the URL). */
const URL_PATTERN = /^(tcp|ipc|inproc):\/\/[^\s#]+$/;

/** Parses `URL` or `URL*N` (then, for a pipe link, `#pipe=DIR`), as `%cluster connect` and `sg-controller --server` take them. */
export function parseServerSpec(spec: string): ServerSpec {
  const mark = spec.indexOf(PIPE_MARK);
  const text = mark < 0 ? spec : spec.slice(0, mark);
  const pipe = mark < 0 ? undefined : decodeURIComponent(spec.slice(mark + PIPE_MARK.length));
  const star = text.lastIndexOf('*');
  const url = star > 0 && /^\d+$/.test(text.slice(star + 1)) ? text.slice(0, star) : text;
  const parsed = checkServerSpec({ url });
  if (url !== text) parsed.workers = Number(text.slice(star + 1));
  if (pipe !== undefined) parsed.pipe = pipe;
  return checkServerSpec(parsed);
}

export function formatServerSpec(spec: ServerSpec): string {
  const text = spec.workers === undefined ? spec.url : `${spec.url}*${spec.workers}`;
  return spec.pipe === undefined ? text : `${text}${PIPE_MARK}${encodeURIComponent(spec.pipe)}`;
}

export function checkServerSpec(spec: ServerSpec): ServerSpec {
  if (typeof spec.url !== 'string' || !URL_PATTERN.test(spec.url)) {
    throw new ProtocolError('ERR_SERVER_URL', `'${String(spec.url)}' is not a worker server address: write it as tcp://HOST:PORT (what sg-worker printed when it started)`);
  }
  if (spec.workers !== undefined && !(Number.isInteger(spec.workers) && spec.workers > 0)) {
    throw new ProtocolError('ERR_SERVER_WORKERS', `workers for ${spec.url} must be a positive whole number, not ${String(spec.workers)}`);
  }
  if (spec.pipe !== undefined && (typeof spec.pipe !== 'string' || !spec.pipe.startsWith('/'))) {
    throw new ProtocolError('ERR_SERVER_PIPE', `the pipe link of ${spec.url} must be an absolute directory path, not ${String(spec.pipe)}`);
  }
  return { ...spec };
}
