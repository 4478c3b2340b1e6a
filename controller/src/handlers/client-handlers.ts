import { errorStateOf, type ChannelHandlers, type TaskInputs } from '@scattergather/protocol';
import type { ControllerParts } from '../controller-parts.js';
import { ControllerError } from '../errors.js';
import { ANSWER_TIMEOUT_MS, commandHandlers } from './command-handlers.js';
import { refHandlers } from './ref-handlers.js';

/** What the client can ask of the controller. */
export function clientHandlers(parts: ControllerParts): ChannelHandlers<'clientToController'> {
  const { book, fleet, settings } = parts;
  const commands = commandHandlers(parts);
  return {
    ...refHandlers(parts),
    submit: ({ set, fn, tasks, retries, timeoutMs, keep, inputs }) => {
      book.addSet(set, fn, tasks, retries ?? settings.retries, timeoutMs ?? settings.timeoutMs, { keep: keep === true, inputs: inputsByTask(inputs) });
      parts.dispatchSoon();
    },
    install: ({ req, name, code, timeoutMs }) => {
      if (fleet.live().length === 0) {
        parts.reply(req, { error: errorStateOf(new ControllerError('ERR_NO_SERVERS', 'no worker server is reachable, so nothing was installed; check status() and that sg-worker is running')) });
        return;
      }
      const previous = fleet.modules.get(name);
      fleet.modules.set(name, code);
      // The servers bound the module's loading time; give them that long before counting them silent.
      const answerMs = Math.max(ANSWER_TIMEOUT_MS, (timeoutMs ?? 0) + ANSWER_TIMEOUT_MS);
      fleet.askLive(fleet.installs, (link, fanReq) => fleet.sendInstall(link, fanReq, name, code, timeoutMs), answerMs).then(
        (answers) => parts.reply(req, { value: answers[0] ?? [] }),
        (error: Error) => {
          // A restarted or added server gets what the live ones still run: the version before, if any, not what failed
          // (unless it was installed again meanwhile).
          if (fleet.modules.get(name) === code) {
            if (previous === undefined) fleet.modules.delete(name);
            else fleet.modules.set(name, previous);
          }
          parts.reply(req, { error: errorStateOf(error) });
        },
      );
    },
    command: (message) => {
      // A Map, not a plain object: a command named 'constructor' must not find Object.prototype's.
      const handler = commands.get(message.name);
      if (handler === undefined) {
        const error = new ControllerError('ERR_UNKNOWN_COMMAND', `unknown command '${String(message.name)}'; commands: ${[...commands.keys()].join(', ')}`);
        parts.reply(message.req, { error: errorStateOf(error) });
        return;
      }
      return handler(message);
    },
  };
}

/** The submit's reference inputs by task index; malformed entries are ignored (such a task gets its arguments as sent). */
function inputsByTask(inputs: TaskInputs[] | undefined): Map<number, string[]> | undefined {
  if (!Array.isArray(inputs)) return undefined;
  const byTask = new Map<number, string[]>();
  for (const entry of inputs) {
    if (!Array.isArray(entry)) continue;
    const [index, refs] = entry;
    if (typeof index === 'number' && Array.isArray(refs) && refs.every((r) => typeof r === 'string')) byTask.set(index, refs);
  }
  return byTask;
}
