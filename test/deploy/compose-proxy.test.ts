/**
 * Issue 12, finding 1: the client address behind nginx, with the TRUST_PROXY that docker-compose.prod.yml
 * really sets. The app sees nginx's fixed address on the "edge" network as the peer and the client's
 * address in X-Forwarded-For (nginx overwrites the header); inject's remoteAddress plays the peer.
 */
import { readFileSync } from 'node:fs';
import { BlockList, isIPv4 } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/prometheus-server.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp } from '../support/app.ts';

const compose = readFileSync(join(REPO_ROOT, 'docker-compose.prod.yml'), 'utf8');
const only = (pattern: RegExp, what: string): string => {
  const all = [...compose.matchAll(pattern)].map((m) => (m[1] as string).replace(/^['"]|['"]$/g, ''));
  if (all.length !== 1) throw new Error(`docker-compose.prod.yml: expected one ${what}, found ${all.length}`);
  return all[0] as string;
};
const TRUST_PROXY = only(/^\s+TRUST_PROXY:\s*(\S+)\s*$/gm, 'TRUST_PROXY');
const NGINX_ADDRESS = only(/^\s+ipv4_address:\s*(\S+)\s*$/gm, 'ipv4_address (nginx)');
const EDGE_SUBNET = only(/^\s+- subnet:\s*(\S+)\s*$/gm, 'subnet (edge)');

const CLIENT_A = '198.51.100.10';
const CLIENT_B = '203.0.113.20';
/** Another container on the edge network (grafana), which is no proxy. */
const NEIGHBOUR = EDGE_SUBNET.replace(/\.\d+\/\d+$/, '.200');

describe('docker-compose.prod.yml: TRUST_PROXY and nginx’s address', () => {
  let app: FastifyInstance | undefined;
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function start(env: Record<string, string> = {}): Promise<FastifyInstance> {
    app = (await startTestApp({ TRUST_PROXY, ...env })).app;
    return app;
  }
  const viaNginx = (client: string, extra: Record<string, string> = {}) => ({
    remoteAddress: NGINX_ADDRESS,
    headers: { 'x-forwarded-for': client, ...extra },
  });

  it('gives nginx a fixed address inside the fixed edge subnet', () => {
    const [network, prefix] = EDGE_SUBNET.split('/') as [string, string];
    expect(isIPv4(network) && isIPv4(NGINX_ADDRESS)).toBe(true);
    const edge = new BlockList();
    edge.addSubnet(network, Number(prefix), 'ipv4');
    expect(edge.check(NGINX_ADDRESS, 'ipv4')).toBe(true);
    expect(TRUST_PROXY).toBe(NGINX_ADDRESS);
  });

  it('keeps one client’s failed logins from throttling another', async () => {
    const app = await start({ AUTH_FAILURE_LIMIT: '20' });
    const diagnose = (client: string, key: string) =>
      app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        ...viaNginx(client, { 'x-api-key': key }),
        payload: SAMPLE_REQUEST,
      });
    for (let i = 0; i < 20; i++) expect((await diagnose(CLIENT_A, `wrong-${i}`)).statusCode).toBe(401);
    const blocked = await diagnose(CLIENT_A, TEST_KEYS.alpha);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.message).toBe('Too many failed authentication attempts from this address.');
    expect((await diagnose(CLIENT_B, TEST_KEYS.alpha)).statusCode).toBe(200);
  });

  it('keeps one client’s anonymous traffic from exhausting another’s per-IP limit', async () => {
    const app = await start({ RATE_LIMIT_MAX: '5' });
    const health = (client: string) =>
      app.inject({ method: 'GET', url: '/health/live', ...viaNginx(client) });
    for (let i = 0; i < 5; i++) expect((await health(CLIENT_A)).statusCode).toBe(200);
    expect((await health(CLIENT_A)).statusCode).toBe(429);
    expect((await health(CLIENT_B)).statusCode).toBe(200);
  });

  it('ignores X-Forwarded-For from any other peer, even on the edge network', async () => {
    const app = await start({ RATE_LIMIT_MAX: '2' });
    const forged = (client: string) =>
      app.inject({
        method: 'GET',
        url: '/health/live',
        remoteAddress: NEIGHBOUR,
        headers: { 'x-forwarded-for': client },
      });
    // Every forged address lands in the neighbour's own bucket.
    expect((await forged(CLIENT_A)).statusCode).toBe(200);
    expect((await forged(CLIENT_B)).statusCode).toBe(200);
    expect((await forged('192.0.2.99')).statusCode).toBe(429);
  });
});
