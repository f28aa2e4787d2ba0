/**
 * Issue 18, points 2 and 4: two properties of nginx/nginx.conf that only a running nginx shows, checked
 * with Debian's nginx on a local copy of the file (scripts/check-deploy.sh --render-nginx).
 */
import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { startFakeDns, type FakeDns } from '../support/fake-dns.ts';
import { edgeRequest, removeDir, startNginx, type LocalNginx } from '../support/topology.ts';

/** A stand-in replica that says who it is. */
async function replica(name: string, host: string, port: number): Promise<Server> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ replica: name }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return server;
}

function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe('nginx edge (nginx/nginx.conf on a local nginx)', () => {
  const dirs: string[] = [];
  let nginx: LocalNginx | undefined;
  let dns: FakeDns | undefined;
  const servers: Server[] = [];

  afterEach(async () => {
    await nginx?.proc.stop();
    nginx = undefined;
    await Promise.all(servers.splice(0).map(close));
    await dns?.close();
    dns = undefined;
  });
  afterAll(async () => {
    for (const dir of dirs) await removeDir(dir);
  });

  async function workDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'tenderly-nginx-edge-'));
    dirs.push(dir);
    return dir;
  }

  it('answers /nginx-health to loopback (127.0.0.1) only, not to another address', async () => {
    servers.push(await replica('a', '127.0.0.1', 0));
    const port = (servers[0]?.address() as { port: number }).port;
    nginx = await startNginx(join(await workDir(), 'nginx'), [`127.0.0.1:${port}`]);
    const local = await edgeRequest(nginx.httpPort, 'GET', '/nginx-health', {
      tls: false,
      localAddress: '127.0.0.1',
    });
    expect(local.status).toBe(200);
    // Any other source address (loopback has all of 127/8) stands for a client on the network.
    const other = await edgeRequest(nginx.httpPort, 'GET', '/nginx-health', {
      tls: false,
      localAddress: '127.0.0.2',
    });
    expect(other.status).toBe(403);
    expect(other.body).not.toContain('Active connections');
  });

  it('sends traffic to a replica that came back on a new address, without a reload', async () => {
    dns = await startFakeDns();
    // Replicas keep their port and change address, as containers do; all of 127/8 is loopback.
    const first = await replica('first', '127.0.1.1', 0);
    servers.push(first);
    const port = (first.address() as { port: number }).port;
    dns.records.set('app', ['127.0.1.1']);
    nginx = await startNginx(join(await workDir(), 'nginx'), [`app:${port}`], { resolver: dns.address });
    const pid = nginx.proc.child.pid;

    const before = await edgeRequest(nginx.httpsPort, 'GET', '/who');
    expect(before.status).toBe(200);
    expect(before.json()).toEqual({ replica: 'first' });

    // The replica is replaced: the old address goes away, the name now resolves to a new one.
    await close(servers.pop());
    servers.push(await replica('second', '127.0.1.2', port));
    dns.records.set('app', ['127.0.1.2']);

    const after = await vi.waitFor(
      async () => {
        const res = await edgeRequest(nginx!.httpsPort, 'GET', '/who', { timeoutMs: 10_000 });
        expect(res.status).toBe(200);
        expect(res.json()).toEqual({ replica: 'second' });
        return res;
      },
      { timeout: 20_000, interval: 500 },
    );
    expect(after.json()).toEqual({ replica: 'second' });
    // Same master process, never signalled: no reload happened.
    expect(nginx.proc.running).toBe(true);
    expect(nginx.proc.child.pid).toBe(pid);
    expect(dns.queries).toBeGreaterThan(1);
  }, 60_000);
});
