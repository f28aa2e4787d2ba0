import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

// Requests must be answered within the Redis timeouts; this bound only catches a hang, with room for a slow machine.
const NO_HANG_MS = 8000;

let redis: RedisServer;
let fake: FakeOpenAI;
const apps: TestApp[] = [];

async function start(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  const testApp = await startTestApp({
    DIAGNOSIS_PROVIDER: 'openai',
    OPENAI_API_KEY: 'x',
    OPENAI_BASE_URL: fake.baseURL,
    REDIS_URL: redis.url,
    REDIS_CONNECT_TIMEOUT_MS: '500',
    // Health polling is IP-limited; keep that out of the way and give alpha a small limit of its own.
    RATE_LIMIT_MAX: '100000',
    API_KEY_LIMITS: 'alpha:5',
    ...env,
  });
  apps.push(testApp);
  return testApp;
}

async function diagnose(
  app: FastifyInstance,
): Promise<{ status: number; body: Record<string, any>; headers: Record<string, unknown> }> {
  const started = Date.now();
  const res = await app.inject({
    method: 'POST',
    url: '/v1/diagnose',
    headers: { 'x-api-key': TEST_KEYS.alpha },
    payload: SAMPLE_REQUEST,
  });
  expect(Date.now() - started, 'request answered without hanging').toBeLessThan(NO_HANG_MS);
  return { status: res.statusCode, body: res.json(), headers: res.headers };
}

const readiness = async (app: FastifyInstance) =>
  (await app.inject({ method: 'GET', url: '/health/ready' })).statusCode;

function waitForReadiness(app: FastifyInstance, status: number) {
  return vi.waitFor(async () => expect(await readiness(app), '/health/ready').toBe(status), {
    timeout: 30_000,
    interval: 200,
  });
}

const byLevel = (testApp: TestApp, level: number) => testApp.logs.records().filter((r) => r.level === level);

beforeAll(async () => {
  [redis, fake] = await Promise.all([startRedisServer(), new FakeOpenAI().start()]);
});
beforeEach(async () => {
  await redis.command('FLUSHALL');
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()));
});
afterAll(async () => {
  await Promise.all([redis?.stop(), fake?.stop()]);
});

describe('Redis outage, RATE_LIMIT_ON_REDIS_ERROR=open (default)', () => {
  it('keeps answering with per-instance limits, warns once, and shares limits again when Redis returns', async () => {
    const a = await start();
    const b = await start();
    expect(await readiness(a.app)).toBe(200);
    expect((await diagnose(a.app)).status).toBe(200);
    expect((await diagnose(b.app)).status).toBe(200);

    await redis.kill();
    await waitForReadiness(a.app, 503);
    expect(await readiness(b.app)).toBe(503);
    expect((await a.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    const health = await a.app.inject({ method: 'GET', url: '/health' });
    expect(health.json().dependencies.redis).toEqual({ status: 'down' });

    // Each instance now limits on its own: alpha gets its 5 per instance, then 429 — never a 500 or a hang.
    const duringOutage: number[] = [];
    for (let i = 0; i < 6; i++) duringOutage.push((await diagnose(a.app)).status);
    expect(duringOutage).toEqual([200, 200, 200, 200, 200, 429]);
    const limited = await diagnose(a.app);
    expect(limited.status).toBe(429);
    expect(limited.body.error.code).toBe('rate_limited');
    expect(limited.headers['retry-after']).toBeDefined();
    expect((await diagnose(b.app)).status).toBe(200);

    for (const testApp of [a, b]) {
      const warnings = byLevel(testApp, 40);
      expect(warnings, JSON.stringify(warnings)).toHaveLength(1);
      expect(String(warnings[0]?.msg)).toMatch(/Redis unavailable/);
      expect(byLevel(testApp, 50)).toHaveLength(0);
    }

    await redis.restart();
    await waitForReadiness(a.app, 200);
    await waitForReadiness(b.app, 200);
    for (const testApp of [a, b]) {
      expect(byLevel(testApp, 30).filter((r) => /Redis reachable again/.test(String(r.msg)))).toHaveLength(1);
      expect(byLevel(testApp, 40)).toHaveLength(1);
    }

    // Shared again (the restarted Redis is empty): 5 in total across both instances, then 429 on either.
    const afterRecovery: number[] = [];
    for (const app of [a.app, b.app, a.app, b.app, a.app, b.app, a.app])
      afterRecovery.push((await diagnose(app)).status);
    expect(afterRecovery).toEqual([200, 200, 200, 200, 200, 429, 429]);
    expect(await redis.command('GET', 'tenderly:rl:api-key:alpha')).toBe('$1\r\n7');
  });
});

describe('Redis outage, RATE_LIMIT_ON_REDIS_ERROR=closed', () => {
  it('refuses authenticated requests with 503 + Retry-After while health stays answerable, then recovers', async () => {
    const testApp = await start({ RATE_LIMIT_ON_REDIS_ERROR: 'closed' });
    const { app } = testApp;
    expect((await diagnose(app)).status).toBe(200);
    const callsBefore = fake.calls;

    await redis.kill();
    await waitForReadiness(app, 503);
    for (let i = 0; i < 3; i++) {
      const refused = await diagnose(app);
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: { code: 'service_unavailable' } });
      expect(typeof refused.body.request_id).toBe('string');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    }
    expect(fake.calls).toBe(callsBefore);
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    // Unauthenticated requests get the same answer they would from any instance.
    const unauthenticated = await app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      payload: SAMPLE_REQUEST,
    });
    expect(unauthenticated.statusCode).toBe(401);

    expect(byLevel(testApp, 40)).toHaveLength(1);
    expect(byLevel(testApp, 50)).toHaveLength(0);

    await redis.restart();
    await vi.waitFor(
      async () => expect((await diagnose(app)).status, 'authenticated requests served again').toBe(200),
      { timeout: 30_000, interval: 200 },
    );
    expect(await readiness(app)).toBe(200);
    expect(byLevel(testApp, 40)).toHaveLength(1);
  });
});
