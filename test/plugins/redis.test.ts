import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type AddressInfo } from 'node:net';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

// The OpenAI provider counts as usable with any key and makes no call here, so readiness hinges on Redis alone.
const READY_PROVIDER = {
  DIAGNOSIS_PROVIDER: 'openai',
  OPENAI_API_KEY: 'x',
  OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
};

let redis: RedisServer;
const apps: TestApp[] = [];

async function start(env: Record<string, string | undefined>): Promise<TestApp> {
  const testApp = await startTestApp({ ...READY_PROVIDER, ...env });
  apps.push(testApp);
  return testApp;
}

/** A loopback port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function warnings(testApp: TestApp) {
  return testApp.logs.records().filter((r) => r.level === 40);
}

beforeAll(async () => {
  redis = await startRedisServer();
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()));
});
afterAll(async () => {
  await redis?.stop();
});

describe('redis plugin', () => {
  it('connects from REDIS_URL and reports Redis up, with latency, in /health and /health/ready', async () => {
    const { app } = await start({ REDIS_URL: redis.url });
    expect(app.redis?.status).toBe('ready');

    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    // The latency is a detail for authenticated callers; the public answer is the status alone.
    const anonymous = await app.inject({ method: 'GET', url: '/health' });
    expect(anonymous.json().dependencies.redis).toEqual({ status: 'up' });
    const health = await app.inject({
      method: 'GET',
      url: '/health',
      headers: { 'x-api-key': TEST_KEYS.alpha },
    });
    expect(health.statusCode).toBe(200);
    const { redis: dependency } = health.json().dependencies;
    expect(dependency.status).toBe('up');
    expect(typeof dependency.latency_ms).toBe('number');
  });

  it('accepts the legacy REDIS_HOST/REDIS_PORT/REDIS_DB variables', async () => {
    const { app } = await start({ REDIS_HOST: '127.0.0.1', REDIS_PORT: String(redis.port), REDIS_DB: '3' });
    expect(app.redis?.status).toBe('ready');
    await app.redis?.set('tenderly:probe', '1');
    expect(await app.redis?.get('tenderly:probe')).toBe('1');
    expect(app.redis?.options.db).toBe(3);
    // Written to database 3, so absent from the default database 0.
    expect(await redis.command('EXISTS', 'tenderly:probe')).toBe(':0');
  });

  it('closes its connection when the app closes', async () => {
    const { app } = await startTestApp({ ...READY_PROVIDER, REDIS_URL: redis.url });
    const client = app.redis;
    const name = 'name=tenderly-diagnosis';
    expect(await redis.command('CLIENT', 'LIST')).toContain(name);
    await app.close();
    expect(client?.status).toBe('end');
    expect(await redis.command('CLIENT', 'LIST')).not.toContain(name);
  });

  it('without Redis configured, runs on in-process stores and says so once at start-up', async () => {
    const { app, logs } = await start({});
    expect(app.redis).toBeNull();
    const notices = logs.records().filter((r) => String(r.msg).includes('per instance only'));
    expect(notices).toHaveLength(1);
    expect(notices[0]?.level).toBe(30);

    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.json().dependencies.redis).toBeUndefined();
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('starts when configured Redis is unreachable, but is not ready; liveness stays 200', async () => {
    const port = await closedPort();
    const started = Date.now();
    const testApp = await start({ REDIS_URL: `redis://127.0.0.1:${port}`, REDIS_CONNECT_TIMEOUT_MS: '500' });
    // Bounded by the connect timeout, not by the reconnect loop (generous slack for a loaded machine).
    expect(Date.now() - started).toBeLessThan(10_000);
    const { app } = testApp;

    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json()).toEqual({ status: 'not_ready' });
    expect(ready.headers['retry-after']).toBeDefined();

    const health = await app.inject({ method: 'GET', url: '/health' });
    expect(health.statusCode).toBe(503);
    expect(health.json().dependencies.redis).toEqual({ status: 'down' });

    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    expect(warnings(testApp)).toHaveLength(1);
    expect(testApp.logs.text).not.toContain(String(port) + '\n');
  });
});
