import { errorFromState, type ChannelHandlers } from '@scattergather/protocol';
import type { ControllerParts } from '../controller-parts.js';
import type { ServerLink } from '../links/server-link.js';
import { readResultItem } from './result-item.js';

/**
 * What a worker server can say to the controller, and what the controller does
 * about it. Every answer about a task names the wire id it was sent under; an
 * id this server does not have in flight from us (unknown, finished, sent to
 * another server, or an earlier attempt) is ignored.
 */
export function serverHandlers(parts: ControllerParts, link: ServerLink): ChannelHandlers<'serverToController'> {
  const { book, fleet, outcomes, log } = parts;
  const peer = fleet.peerId(link);
  return {
    pong: ({ req, executors, instance, processId, held, draining }) => {
      const change = link.health.changeOf({ instance, processId });
      if (change !== undefined) fleet.lose(link, change === 'restarted' ? 'it restarted' : 'it forgot us while we were silent', change === 'forgot-us');
      const news = link.health.onPong({ executors, instance, processId, draining });
      if (news.fresh || news.revived) {
        // A fresh process knows none of our modules; one back from lost missed those installed while it was away.
        fleet.reinstall(link, news.fresh);
        log.info({ server: link.url, executors: executors.length }, 'worker server up');
      }
      if (!news.fresh && Array.isArray(held)) fleet.reconcile(link, req, held);
      if (req > 0) fleet.pings.settle(req, peer, { value: undefined });
      parts.checkReady();
      parts.dispatchSoon();
    },
    done: ({ results }) => {
      link.health.heard();
      for (const raw of results) {
        const item = readResultItem(raw);
        const task = item === undefined ? undefined : book.flights.take(link.index, item.id);
        if (item === undefined || task === undefined) continue;
        link.observeRuntime(item.ms);
        outcomes.finish(task, item.ok, item.value, link.index, item.pid, item.output, item.ms);
      }
      parts.dispatchSoon();
    },
    output: ({ items }) => {
      for (const item of items) {
        const task = Array.isArray(item) ? book.flights.find(link.index, item[0]) : undefined;
        if (task !== undefined && typeof item[1] === 'string') outcomes.print(task, item[1]);
      }
    },
    lost: ({ ids, reason, pid }) => {
      link.health.heard();
      for (const id of ids) {
        const task = book.flights.take(link.index, id);
        if (task === undefined) continue;
        if (reason === 'InputLost') {
          // An input was not where we said: free if a holder was lost since (its lineage is under way), else a failed run.
          if (task.inputs?.some((id) => book.refs.get(id)?.state !== 'ready')) outcomes.requeue(task);
          else outcomes.retryOrFail(task, 'RefError', `${link.url} could not fetch an input of the task from the servers holding it`, link.index, pid);
        } else if (reason === 'TimeoutError') {
          // Over its limit once is over it every time: no retry.
          const message = `the task ran longer than its ${task.set.timeoutMs ?? '?'} ms limit; its executor (pid ${pid}) was replaced`;
          outcomes.fail(task, { name: 'TimeoutError', message }, link.index, pid);
        } else {
          outcomes.retryOrFail(task, String(reason), `the executor (pid ${pid}) running it on ${link.url} died`, link.index, pid);
        }
      }
      parts.dispatchSoon();
    },
    returned: ({ ids, draining }) => {
      // Stopping, draining, or it took us for gone: these go back without counting as failures, and it gets nothing new until it answers.
      link.health.holdUntilPong();
      if (draining === true) link.health.markDraining();
      for (const id of ids) {
        const task = book.flights.take(link.index, id);
        if (task !== undefined) outcomes.requeue(task);
      }
      // What it did not list: its pong shows it (one still running), or its silence (a stopped one) loses it.
      fleet.probe(link);
    },
    installed: ({ req, names, error }) => {
      if (req === 0) {
        if (error !== undefined) log.error({ server: link.url, error }, 'an installed module failed to load on a restarted server');
        return;
      }
      fleet.installs.settle(req, peer, error === undefined ? { value: names ?? [] } : { error: errorFromState(error) });
    },
    fetched: ({ req, values }) => fleet.fetches.settle(req, peer, { value: values }),
    stored: ({ req, size, error }) => fleet.puts.settle(req, peer, error === undefined ? { value: size ?? 0 } : { error: errorFromState(error) }),
    refreshed: ({ req, executors, error }) => {
      link.health.onRefreshed(executors);
      fleet.refreshes.settle(req, peer, error === undefined ? { value: executors.map(([pid]) => pid) } : { error: errorFromState(error) });
    },
  };
}
