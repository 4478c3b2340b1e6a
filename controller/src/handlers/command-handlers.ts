import { errorStateOf, type Message } from '@scattergather/protocol';
import type { Controller } from '../controller.js';
import type { ServerLink } from '../links/server-link.js';
import { buildStatus } from '../status.js';

type CommandHandler = (message: Message<'command'>) => void | Promise<void>;

/** How long install and refresh wait for a live server to answer before they report it. */
export const ANSWER_TIMEOUT_MS = 60_000;

/** The client's `command(...)`, `status()` and `cancel(h)`, by name. */
export function commandHandlers(controller: Controller): Record<string, CommandHandler> {
  return {
    status: async ({ req }) => {
      // Fresh executor states; a server that does not answer in two heartbeats is shown as last heard.
      await controller.askLiveServers(controller.pings, (fanReq) => ({ t: 'ping', req: fanReq }), 2 * controller.options.heartbeatMs).catch(() => undefined);
      controller.reply(req, { value: buildStatus(controller) });
    },
    refresh: async ({ req }) => {
      try {
        const pids = (await controller.askLiveServers(controller.refreshes, (fanReq) => ({ t: 'refresh', req: fanReq }), ANSWER_TIMEOUT_MS)).flat();
        controller.reply(req, { value: { pids } });
      } catch (error) {
        controller.reply(req, { error: errorStateOf(error as Error) });
      }
    },
    cancel: ({ req, set: setId }) => {
      const set = setId === undefined ? undefined : controller.book.sets.get(setId);
      const tasks = set === undefined ? [] : controller.book.unfinishedOf(set);
      // Servers stop what they hold of it (an executor running one is replaced)…
      const held = new Map<ServerLink, number[]>();
      for (const task of tasks) {
        if (task.server === undefined) continue;
        const ids = held.get(task.server);
        if (ids === undefined) held.set(task.server, [task.id]);
        else ids.push(task.id);
      }
      for (const [server, ids] of held) server.send({ t: 'cancel', ids });
      // …and every unfinished task ends here and now, whatever a server says later.
      for (const task of tasks) controller.failTask(task, { name: 'CancelledError', message: `set ${task.set.id} was cancelled` }, task.server?.index ?? -1, -1);
      controller.reply(req, { value: { cancelled: tasks.length } });
    },
    die: async ({ req }) => {
      controller.reply(req, { value: null });
      await controller.stop();
    },
  };
}
