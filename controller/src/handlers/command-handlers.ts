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
      const live = controller.liveServers();
      // Fresh executor states; a server that does not answer in two heartbeats is shown as last heard.
      const { req: fanReq, done } = controller.pings.open(live.map((s) => controller.peerId(s)), 2 * controller.options.heartbeatMs);
      for (const server of live) server.send({ t: 'ping', req: fanReq });
      await done.catch(() => undefined);
      controller.reply(req, { value: buildStatus(controller) });
    },
    refresh: async ({ req }) => {
      const live = controller.liveServers();
      const { req: fanReq, done } = controller.refreshes.open(live.map((s) => controller.peerId(s)), ANSWER_TIMEOUT_MS);
      for (const server of live) server.send({ t: 'refresh', req: fanReq });
      try {
        const pids = (await done).flat();
        controller.reply(req, { value: { pids } });
      } catch (error) {
        controller.reply(req, { error: errorStateOf(error as Error) });
      }
    },
    cancel: ({ req, set: setId }) => {
      const set = setId === undefined ? undefined : controller.book.sets.get(setId);
      const tasks = set === undefined ? [] : [...controller.book.tasks.values()].filter((t) => t.set === set);
      // Servers stop what they hold of it (an executor running one is replaced)…
      const held = new Map<ServerLink, number[]>();
      for (const task of tasks) if (task.server !== undefined) held.set(task.server, [...(held.get(task.server) ?? []), task.id]);
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
