import { checkServerSpec, type ServerSpec } from '@scattergather/protocol';
import { asClientError, ScatterGatherError } from './errors.js';

/** Checks worker server addresses: each well formed, and none listed twice or already among `known`. */
export function toServerSpecs(urls: Array<string | ServerSpec>, known: readonly ServerSpec[] = []): ServerSpec[] {
  const specs = urls.map((u) => asClientError(() => checkServerSpec(typeof u === 'string' ? { url: u } : u)));
  const all = [...known, ...specs];
  const twice = all.find((spec, i) => all.findIndex((other) => other.url === spec.url) !== i);
  if (twice !== undefined) throw new ScatterGatherError('ERR_SERVER_TWICE', `${twice.url} is listed twice; list each worker server once (use { url, workers } to limit how many of its executors to use)`);
  return specs;
}
