import type { DashboardSource } from './dashboard-source.js';
import { DashboardServer } from './dashboard-server.js';

/** A client's one dashboard: started by the first `dashboard()`, closed with the client. */
export class DashboardSlot {
  private server: Promise<DashboardServer> | undefined;

  constructor(private readonly source: DashboardSource) {}

  async url(): Promise<string> {
    this.server ??= DashboardServer.start(this.source);
    try {
      return (await this.server).url;
    } catch (error) {
      this.server = undefined;
      throw error;
    }
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.then((s) => s.close(), () => undefined);
  }
}
