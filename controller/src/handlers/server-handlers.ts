import { errorFromState, type ClientResultItem, type MessageHandlers } from '@scattergather/protocol';
import type { Controller } from '../controller.js';
import type { ServerLink } from '../links/server-link.js';

/** What a worker server can say to the controller, and what the controller does about it. */
export function serverHandlers(controller: Controller, server: ServerLink): MessageHandlers {
  const peer = controller.peerId(server);
  return {
    pong: ({ req, executors, instance, draining }) => {
      if (server.instance !== undefined && server.instance !== instance) controller.loseServer(server, 'it restarted');
      if (server.instance !== instance) {
        // A new server process knows nothing yet: give it the installed modules before any task.
        for (const [name, code] of controller.modules) server.send({ t: 'install', req: 0, name, code });
      }
      server.instance = instance;
      server.executors = executors;
      server.draining = draining === true;
      server.lastHeard = Date.now();
      if (!server.alive) controller.log.info({ server: server.url, executors: executors.length }, 'worker server up');
      server.alive = true;
      server.answered = true;
      if (req !== 0) controller.pings.settle(req, peer, { value: undefined });
      controller.checkReady();
      controller.dispatchSoon();
    },
    done: ({ results }) => {
      server.lastHeard = Date.now();
      const items: ClientResultItem[] = [];
      for (const [id, ok, value, ms, pid, output] of results) {
        server.inFlight.delete(id);
        server.observeRuntime(ms);
        const task = controller.book.finish(id, ok);
        if (task !== undefined) items.push([task.set.id, task.index, ok, value, server.index, pid, typeof output === 'string' ? output : '']);
      }
      controller.deliver(items);
      controller.dispatchSoon();
    },
    lost: ({ ids, reason, pid }) => {
      for (const id of ids) {
        server.inFlight.delete(id);
        const task = controller.book.tasks.get(id);
        if (task === undefined) continue;
        if (reason === 'TimeoutError') {
          // Over its limit once is over it every time: no retry.
          const message = `the task ran longer than its ${task.set.timeoutMs ?? '?'} ms limit; its executor (pid ${pid}) was replaced`;
          controller.failTask(task, { name: 'TimeoutError', message }, server.index, pid);
        } else {
          controller.retryOrFail(id, reason, `the executor (pid ${pid}) running it on ${server.url} died`, pid, server);
        }
      }
      controller.dispatchSoon();
    },
    returned: ({ ids }) => {
      // The server is shutting down cleanly: its tasks go back without counting as failures.
      server.alive = false;
      for (const id of ids) {
        const task = controller.book.tasks.get(id);
        if (task !== undefined && task.server === server) controller.book.requeue(task);
      }
      controller.dispatchSoon();
    },
    installed: ({ req, names, error }) => {
      if (req === 0) {
        if (error !== undefined) controller.log.error({ server: server.url, error }, 'an installed module failed to load on a restarted server');
        return;
      }
      controller.installs.settle(req, peer, error === undefined ? { value: names ?? [] } : { error: errorFromState(error) });
    },
    refreshed: ({ req, executors }) => {
      server.executors = executors;
      controller.refreshes.settle(req, peer, { value: executors.map(([pid]) => pid) });
    },
  };
}
