import { errorStateOf, type ErrorState, type Message, type MessageHandlers } from '@scattergather/protocol';
import type { Controller } from '../controller.js';
import { ControllerError } from '../errors.js';
import { ANSWER_TIMEOUT_MS, commandHandlers } from './command-handlers.js';

/** What the client can ask of the controller. */
export function clientHandlers(controller: Controller): MessageHandlers {
  const commands = commandHandlers(controller);
  return {
    submit: ({ set, fn, tasks, retries, timeoutMs }) => {
      controller.book.addSet(set, fn, tasks, retries ?? controller.options.retries, timeoutMs ?? controller.options.timeoutMs);
      controller.dispatchSoon();
    },
    install: ({ req, name, code }) => {
      if (controller.liveServers().length === 0) {
        controller.reply(req, { error: errorStateOf(new ControllerError('ERR_NO_SERVERS', 'no worker server is reachable, so nothing was installed; check status() and that sg-worker is running')) });
        return;
      }
      controller.modules.set(name, code);
      controller.askLiveServers(controller.installs, (fanReq) => ({ t: 'install', req: fanReq, name, code }), ANSWER_TIMEOUT_MS).then(
        (answers) => controller.reply(req, { value: answers[0] ?? [] }),
        (error: Error) => controller.reply(req, { error: errorStateOf(error) }),
      );
    },
    command: (message: Message<'command'>) => {
      const handler = Object.hasOwn(commands, message.name) ? commands[message.name] : undefined;
      if (handler === undefined) {
        const error: ErrorState = { name: 'ControllerError', message: `unknown command '${message.name}'; commands: ${Object.keys(commands).join(', ')}` };
        controller.reply(message.req, { error });
        return;
      }
      return handler(message);
    },
  };
}
