/**
 * REDIS_SENTINELS: the service finds its Redis primary through Sentinel, as a self-hosted HA Redis (primary,
 * replica, Sentinels) exposes it, and follows a failover. Real redis-server processes on loopback: a primary,
 * a replica of it, and one Sentinel (quorum 1).
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config.ts';
import { redisOptions } from '../../src/infra/redis.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, testConfig, type TestApp } from '../support/app.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

const NAME = 'tenderly-primary';
let primary: RedisServer;
let replica: RedisServer;
let sentinel: RedisServer;
const apps: TestApp[] = [];

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The port of the server the app's client is talking to, as that server reports it. */
async function connectedPort(testApp: TestApp): Promise<number> {
  const info = (await testApp.app.redis!.info('server')) as string;
  return Number(/^tcp_port:(\d+)/m.exec(info)?.[1]);
}

const diagnose = (testApp: TestApp) =>
  testApp.app.inject({
    method: 'POST',
    url: '/v1/diagnose',
    headers: { 'x-api-key': TEST_KEYS.alpha },
    payload: SAMPLE_REQUEST,
  });

beforeAll(async () => {
  primary = await startRedisServer();
  replica = await startRedisServer({ args: ['--replicaof', '127.0.0.1', String(primary.port)] });
  await until('the replica to sync', async () =>
    (await replica.command('INFO', 'replication')).includes('master_link_status:up') ? true : undefined,
  );
  sentinel = await startRedisServer({ sentinelOf: { name: NAME, port: primary.port } });
  await until('the Sentinel to see the replica', async () =>
    (await sentinel.command('INFO', 'sentinel')).includes('slaves=1') ? true : undefined,
  );
}, 60_000);
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()));
});
afterAll(async () => {
  await Promise.all([sentinel?.stop(), replica?.stop(), primary?.stop()]);
});

describe('Redis through Sentinel (REDIS_SENTINELS)', () => {
  it('asks the Sentinel for the primary, is ready, and keeps the shared rate-limit counter there', async () => {
    const testApp = await startTestApp({
      REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
      REDIS_SENTINEL_NAME: NAME,
    });
    apps.push(testApp);
    expect(await connectedPort(testApp)).toBe(primary.port);
    expect((await testApp.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);

    expect((await diagnose(testApp)).statusCode).toBe(200);
    expect(await primary.command('GET', 'tenderly:rl:api-key:alpha')).toBe('$1\r\n1');
  });

  it('follows a failover to the promoted replica and keeps serving from shared state', async () => {
    const testApp = await startTestApp({
      REDIS_SENTINELS: `127.0.0.1:${sentinel.port}`,
      REDIS_SENTINEL_NAME: NAME,
    });
    apps.push(testApp);
    expect((await diagnose(testApp)).statusCode).toBe(200);
    const before = Number((await primary.command('GET', 'tenderly:rl:api-key:alpha')).split('\r\n')[1]);

    expect(await sentinel.command('SENTINEL', 'FAILOVER', NAME)).toBe('+OK');
    await until('the app to reach the promoted replica', async () =>
      (await connectedPort(testApp)) === replica.port ? true : undefined,
    );
    await until('readiness after the failover', async () =>
      (await testApp.app.inject({ method: 'GET', url: '/health/ready' })).statusCode === 200
        ? true
        : undefined,
    );

    expect((await diagnose(testApp)).statusCode).toBe(200);
    // The counter replicated before the failover and went on on the new primary: one window, not a reset.
    expect(await replica.command('GET', 'tenderly:rl:api-key:alpha')).toBe(`$1\r\n${before + 1}`);
  });

  it('needs host:port pairs, and a REDIS_URL takes precedence', () => {
    expect(() => testConfig({ REDIS_SENTINELS: 'sentinel-a,sentinel-b:26379' })).toThrow(ConfigError);
    expect(() => testConfig({ REDIS_SENTINELS: 'sentinel-a' })).toThrow(
      /REDIS_SENTINELS: expected comma-separated/,
    );
    const config = testConfig({ REDIS_SENTINELS: 's-a:26379, s-b:26380', REDIS_SENTINEL_PASSWORD: 'p' });
    expect(config.redis).toMatchObject({
      sentinels: [
        { host: 's-a', port: 26379 },
        { host: 's-b', port: 26380 },
      ],
      sentinelName: 'mymaster',
      sentinelPassword: 'p',
    });
    expect(redisOptions(config.redis!)).toMatchObject({ name: 'mymaster', sentinelPassword: 'p' });
    const both = testConfig({ REDIS_URL: 'redis://x:6379', REDIS_SENTINELS: 's:1' }).redis!;
    expect(both.url).toBe('redis://x:6379');
    expect(redisOptions(both)).not.toHaveProperty('sentinels');
  });
});
