import { errorStateOf, type Message } from '@scattergather/protocol';
import type { Controller } from '../controller.js';
import { buildStatus } from '../status.js';

type CommandHandler = (message: Message<'command'>) => void | Promise<void>;

/** The client's `command(...)`, `status()` and `cancel(h)`, by name. */
export function commandHandlers(controller: Controller): Record<string, CommandHandler> {
  return {
    status: async ({ req }) => {
      const live = controller.liveServers();
      const { req: fanReq, done } = controller.pings.open(live.map((s) => controller.peerId(s)));
      for (const server of live) server.send({ t: 'ping', req: fanReq });
      await done;
      controller.reply(req, { value: buildStatus(controller) });
    },
    refresh: async ({ req }) => {
      const live = controller.liveServers();
      const { req: fanReq, done } = controller.refreshes.open(live.map((s) => controller.peerId(s)));
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
      let cancelled = 0;
      if (set !== undefined) {
        for (const task of [...controller.book.tasks.values()].filter((t) => t.set === set)) {
          controller.failTask(task, { name: 'CancelledError', message: `set ${set.id} was cancelled` }, task.server?.index ?? -1, -1);
          cancelled += 1;
        }
      }
      controller.reply(req, { value: { cancelled } });
    },
    die: async ({ req }) => {
      controller.reply(req, { value: null });
      await controller.stop();
    },
  };
}
