import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScatterGatherError } from '../client/errors.js';
import { AccessToken } from './access-token.js';
import { DashboardFeed } from './dashboard-feed.js';
import type { DashboardSource } from './dashboard-source.js';
import { loadStaticFiles, type StaticFile } from './static-files.js';

/** How often pages get an update (the issue asks for at least twice a second). */
const TICK_MS = 400;

/** A page this far behind in reading its stream is skipped until it catches up. */
const MAX_UNREAD_BYTES = 4 << 20;

interface Page { res: ServerResponse; generation: number }

const HEADERS = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };

/**
 * The dashboard's HTTP server on 127.0.0.1: the page's static files, and one
 * Server-Sent Events stream per open page carrying a snapshot every tick.
 * Every request needs the token. Per task it costs the feed a few arithmetic
 * steps (no message, no object); a tick's status request and snapshots happen
 * only while a page is open.
 */
export class DashboardServer {
  private readonly pages = new Set<Page>();
  private readonly timer: NodeJS.Timeout;
  private ticking = false;

  private constructor(
    private readonly http: Server,
    private readonly token: AccessToken,
    private readonly files: Map<string, StaticFile>,
    private readonly feed: DashboardFeed,
    readonly url: string,
  ) {
    http.on('request', (req: IncomingMessage, res: ServerResponse) => this.answer(req, res));
    this.timer = setInterval(() => void this.tick(), TICK_MS).unref();
  }

  static async start(source: DashboardSource): Promise<DashboardServer> {
    const token = new AccessToken();
    const files = loadStaticFiles(token.value);
    const http = createServer();
    await new Promise<void>((resolve, reject) => {
      http.once('error', (cause) => reject(new ScatterGatherError('ERR_DASHBOARD', `the dashboard could not listen on 127.0.0.1: ${cause.message}`, { cause })));
      http.listen(0, '127.0.0.1', resolve);
    });
    http.unref();
    const { port } = http.address() as AddressInfo;
    return new DashboardServer(http, token, files, new DashboardFeed(source), `http://127.0.0.1:${port}/?token=${token.value}`);
  }

  /** Ends every page's stream and stops listening: the URL no longer answers. */
  async close(): Promise<void> {
    clearInterval(this.timer);
    this.feed.close();
    for (const page of this.pages) page.res.end();
    this.pages.clear();
    const closed = new Promise((resolve) => this.http.close(resolve));
    this.http.closeAllConnections();
    await closed;
  }

  private answer(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!this.token.admits(url.searchParams.get('token'))) {
      res.writeHead(403, { ...HEADERS, 'content-type': 'text/plain; charset=utf-8' }).end('This dashboard needs its token: open the whole URL that sg.dashboard() (or %cluster dashboard) printed, ?token=… included.\n');
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, { ...HEADERS, allow: 'GET' }).end();
      return;
    }
    if (url.pathname === '/events') {
      this.openStream(res);
      return;
    }
    const file = this.files.get(url.pathname);
    if (file === undefined) res.writeHead(404, HEADERS).end();
    else res.writeHead(200, { ...HEADERS, 'content-type': file.type }).end(file.body);
  }

  private openStream(res: ServerResponse): void {
    res.writeHead(200, { ...HEADERS, 'content-type': 'text/event-stream', connection: 'keep-alive' });
    const page: Page = { res, generation: 0 };
    this.pages.add(page);
    res.on('close', () => this.pages.delete(page));
    void this.tick();
  }

  /** Samples the feed and sends each open page what changed since its last event. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = true;
    try {
      await this.feed.sample(this.pages.size > 0);
    } finally {
      this.ticking = false;
    }
    const generation = this.feed.generation;
    for (const page of this.pages) {
      // A page that stopped reading (a sleeping laptop's) gets nothing more until it catches up.
      if (page.res.writableLength > MAX_UNREAD_BYTES) continue;
      page.res.write(`data: ${JSON.stringify(this.feed.snapshot(page.generation))}\n\n`);
      page.generation = generation;
    }
    this.feed.generation = generation + 1;
  }
}
