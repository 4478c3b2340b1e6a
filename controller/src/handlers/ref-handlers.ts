import { errorStateOf, type ChannelHandlers } from '@scattergather/protocol';
import type { ControllerParts } from '../controller-parts.js';

type RefMessages = Pick<ChannelHandlers<'clientToController'>, 'fetch' | 'put' | 'release'>;

/** The client's kept values: fetch them, put one, release them. */
export function refHandlers(parts: ControllerParts): RefMessages {
  const { kept } = parts;
  const fail = (req: number) => (error: Error): void => parts.reply(req, { error: errorStateOf(error) });
  return {
    fetch: ({ req, refs }) => kept.fetch(refs).then((values) => parts.reply(req, { value: values }), fail(req)),
    put: ({ req, ref, value }) => kept.put(ref, value).then((size) => parts.reply(req, { value: size }), fail(req)),
    release: ({ refs }) => kept.release(refs),
  };
}
