import { execFileSync } from 'node:child_process';

/**
 * Test hosts in network namespaces this test creates: a client namespace joined
 * to each server namespace by its own veth pair, with private addresses that
 * exist inside these namespaces only. `remove()` deletes them all.
 */
export class TestNetwork {
  readonly client: string;
  readonly servers: Array<{ ns: string; address: string; link: string }> = [];

  constructor(serverCount: number) {
    const tag = `${process.pid % 100_000}`;
    this.client = `sgc${tag}`;
    ip('netns', 'add', this.client);
    ip('netns', 'exec', this.client, 'ip', 'link', 'set', 'lo', 'up');
    for (let i = 1; i <= serverCount; i++) {
      const ns = `sgs${i}-${tag}`;
      const link = `sgc${i}-${tag}`;
      const peer = `sgs${i}-${tag}`;
      ip('netns', 'add', ns);
      ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
      ip('link', 'add', link, 'netns', this.client, 'type', 'veth', 'peer', 'name', peer, 'netns', ns);
      ip('netns', 'exec', this.client, 'ip', 'addr', 'add', `10.77.${i}.1/30`, 'dev', link);
      ip('netns', 'exec', ns, 'ip', 'addr', 'add', `10.77.${i}.2/30`, 'dev', peer);
      ip('netns', 'exec', this.client, 'ip', 'link', 'set', link, 'up');
      ip('netns', 'exec', ns, 'ip', 'link', 'set', peer, 'up');
      this.servers.push({ ns, address: `10.77.${i}.2`, link });
    }
  }

  /** Takes the client's side of a server's link down: that server is cut off mid-conversation. */
  cut(index: number): void {
    const server = this.servers[index];
    if (server !== undefined) ip('netns', 'exec', this.client, 'ip', 'link', 'set', server.link, 'down');
  }

  remove(): void {
    for (const ns of [this.client, ...this.servers.map((s) => s.ns)]) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // already gone
      }
    }
  }
}

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
}
