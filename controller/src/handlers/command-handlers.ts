import { checkServerSpec, errorStateOf, type Message } from '@scattergather/protocol';
import type { ControllerParts } from '../controller-parts.js';
import { ControllerError } from '../errors.js';
import { buildStatus } from '../status.js';

type CommandHandler = (message: Message<'command'>) => void | Promise<void>;

/** How long a server whose process the client saw end may take to answer a ping before it is lost. */
const EXIT_GRACE_MS = 500;

/** How long install and refresh wait for a live server to answer before they report it. */
export const ANSWER_TIMEOUT_MS = 60_000;

/** The client's `command(...)`, `status()` and `cancel(h)`, by name. */
export function commandHandlers(parts: ControllerParts): Map<string, CommandHandler> {
  const { book, fleet, outcomes, settings } = parts;
  return new Map<string, CommandHandler>([
    ['status', async ({ req }) => {
      // Fresh executor states; a server that does not answer in two heartbeats is shown as last heard.
      await fleet.askLive(fleet.pings, (link, fanReq) => fleet.ping(link, fanReq), 2 * settings.heartbeatMs).catch(() => undefined);
      parts.reply(req, { value: buildStatus(parts) });
    }],
    ['refresh', async ({ req }) => {
      try {
        const pids = (await fleet.askLive(fleet.refreshes, (link, fanReq) => link.send({ t: 'refresh', req: fanReq }), ANSWER_TIMEOUT_MS)).flat();
        parts.reply(req, { value: { pids } });
      } catch (error) {
        parts.reply(req, { error: errorStateOf(error as Error) });
      }
    }],
    ['cancel', ({ req, set }) => {
      const tasks = typeof set === 'number' ? book.unfinishedOf(set) : [];
      // Servers stop what they hold of it (an executor running one is replaced)…
      const held = new Map<number, number[]>();
      for (const task of tasks) {
        if (task.server < 0) continue;
        const ids = held.get(task.server);
        if (ids === undefined) held.set(task.server, [task.wireId]);
        else ids.push(task.wireId);
      }
      for (const [server, ids] of held) fleet.links[server]?.send({ t: 'cancel', ids });
      // …and every unfinished task ends here and now, whatever a server says later.
      for (const task of tasks) outcomes.fail(task, { name: 'CancelledError', message: `set ${task.set.id} was cancelled` }, task.server, -1);
      parts.reply(req, { value: { cancelled: tasks.length } });
    }],
    ['add-servers', ({ req, servers = [] }) => {
      try {
        const specs = servers.map(checkServerSpec);
        const known = specs.find((spec) => fleet.links.some((link) => link.url === spec.url));
        if (known !== undefined) throw new ControllerError('ERR_SERVER_TWICE', `${known.url} is connected already; add each worker server once`);
        parts.addServers(specs);
        parts.reply(req, { value: { servers: fleet.links.length } });
      } catch (error) {
        parts.reply(req, { error: errorStateOf(error as Error) });
      }
    }],
    // The client that started server number `server` saw its process end: lose it within moments, not heartbeats later.
    ['server-exited', ({ req, server, why }) => {
      const link = typeof server === 'number' ? fleet.links[server] : undefined;
      const how = `its process exited (${String(why ?? 'seen by its client')})`;
      if (link !== undefined && !link.health.answered) parts.trouble(link.index, `${how} before it answered`);
      else if (link !== undefined) void fleet.exited(link, how, Math.min(settings.heartbeatMs, EXIT_GRACE_MS));
      parts.reply(req, { value: null });
    }],
    ['die', async ({ req }) => {
      parts.reply(req, { value: null });
      await parts.stop();
    }],
  ]);
}
