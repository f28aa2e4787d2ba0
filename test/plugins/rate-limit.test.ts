import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

let redis: RedisServer;
let fake: FakeOpenAI;
const apps: TestApp[] = [];

async function start(env: Record<string, string | undefined> = {}): Promise<FastifyInstance> {
  const testApp = await startTestApp({
    DIAGNOSIS_PROVIDER: 'openai',
    OPENAI_API_KEY: 'x',
    OPENAI_BASE_URL: fake.baseURL,
    REDIS_URL: redis.url,
    ...env,
  });
  apps.push(testApp);
  return testApp.app;
}

function diagnose(app: FastifyInstance, key: string, extra: Partial<InjectOptions> = {}) {
  return app.inject({
    method: 'POST',
    url: '/v1/diagnose',
    headers: { 'x-api-key': key, ...(extra.headers ?? {}) },
    payload: (extra.payload as object | undefined) ?? SAMPLE_REQUEST,
    ...(extra.remoteAddress ? { remoteAddress: extra.remoteAddress } : {}),
  });
}

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

describe('rate limiting per principal', () => {
  it('refuses the 61st request in a window with 429, the standard headers and the error shape', async () => {
    const app = await start({ RATE_LIMIT_MAX: '60', RATE_LIMIT_WINDOW_MS: '60000' });
    for (let i = 1; i <= 60; i++) {
      const res = await diagnose(app, TEST_KEYS.alpha);
      expect(res.statusCode, `request ${i}: ${res.body}`).toBe(200);
      expect(res.headers['x-ratelimit-limit']).toBe('60');
      expect(res.headers['x-ratelimit-remaining']).toBe(String(60 - i));
      expect(Number(res.headers['x-ratelimit-reset'])).toBeGreaterThan(0);
    }
    const calls = fake.calls;

    const refused = await diagnose(app, TEST_KEYS.alpha, { headers: { 'x-request-id': 'over-the-limit-1' } });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['x-ratelimit-limit']).toBe('60');
    expect(refused.headers['x-ratelimit-remaining']).toBe('0');
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(refused.headers['x-ratelimit-reset']).toBe(String(retryAfter));
    expect(refused.headers['content-type']).toMatch(/^application\/json/);
    expect(refused.json()).toEqual({
      error: { code: 'rate_limited', message: expect.stringContaining('60') },
      request_id: 'over-the-limit-1',
    });
    // A refused request never reaches the (paid) model.
    expect(fake.calls).toBe(calls);
  });

  it('gives each principal its own bucket, and honours per-service limits (API_KEY_LIMITS)', async () => {
    const app = await start({ RATE_LIMIT_MAX: '60', API_KEY_LIMITS: 'alpha:3' });
    for (let i = 0; i < 3; i++) expect((await diagnose(app, TEST_KEYS.alpha)).statusCode).toBe(200);
    const refused = await diagnose(app, TEST_KEYS.alpha);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['x-ratelimit-limit']).toBe('3');

    const beta = await diagnose(app, TEST_KEYS.beta);
    expect(beta.statusCode).toBe(200);
    expect(beta.headers['x-ratelimit-limit']).toBe('60');
    expect(beta.headers['x-ratelimit-remaining']).toBe('59');

    // The shared counters are keyed on who the caller is, nothing else.
    const keys = (await redis.command('KEYS', 'tenderly:rl:*'))
      .split('\r\n')
      .filter((l) => l.startsWith('tenderly'));
    expect(keys.sort()).toEqual(['tenderly:rl:api-key:alpha', 'tenderly:rl:api-key:beta']);
  });

  it('counts the legacy shared API_KEY as one credential, whatever X-Service-Name it names', async () => {
    const key = 'legacy-shared-key-k7Qm2xVb9LpR4tWz8NcY';
    const t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'knowledge-base',
      REDIS_URL: redis.url,
      API_KEYS: undefined,
      JWT_SECRET: undefined,
      API_KEY: key,
      ALLOWED_SERVICES: 'tenderly-backend,reports,admin',
      RATE_LIMIT_MAX: '2',
      API_KEY_LIMITS: 'reports:100',
    });
    apps.push(t);
    const as = (service: string) => diagnose(t.app, key, { headers: { 'x-service-name': service } });
    expect((await as('tenderly-backend')).statusCode).toBe(200);
    expect((await as('reports')).statusCode).toBe(200);
    // Rotating the service name neither opens a new bucket nor picks the named service's larger limit.
    for (const service of ['admin', 'reports', 'tenderly-backend']) {
      const res = await as(service);
      expect(res.statusCode, service).toBe(429);
      expect(res.headers['x-ratelimit-limit']).toBe('2');
    }
    // The audit log names the credential and, beside it, the service the caller named.
    const audited = t.logs
      .records()
      .filter((r) => r.audit === true)
      .map((r) => r.principal);
    expect(audited.slice(0, 2)).toEqual([
      { kind: 'api-key', id: 'tenderly-backend', service: 'tenderly-backend' },
      { kind: 'api-key', id: 'tenderly-backend', service: 'reports' },
    ]);
  });

  it('cannot be escaped by changing the body (or adding an identity field to it)', async () => {
    const app = await start({ API_KEY_LIMITS: 'alpha:3' });
    const bodies = [
      SAMPLE_REQUEST,
      { ...SAMPLE_REQUEST, notes: 'another patient entirely' },
      { ...SAMPLE_REQUEST, patient: { ...SAMPLE_REQUEST.patient, age: 45 } },
    ];
    for (const payload of bodies)
      expect((await diagnose(app, TEST_KEYS.alpha, { payload })).statusCode).toBe(200);

    for (const payload of [
      { ...SAMPLE_REQUEST, user_id: 'someone-else' },
      { ...SAMPLE_REQUEST, symptoms: ['pelvic pain'], service: 'beta' },
      { ...SAMPLE_REQUEST, notes: 'fresh bucket please' },
    ]) {
      const res = await diagnose(app, TEST_KEYS.alpha, { payload });
      expect(res.statusCode).toBe(429);
      expect(res.json().error.code).toBe('rate_limited');
    }
  });

  it('is shared by two instances using the same Redis', async () => {
    const first = await start({ API_KEY_LIMITS: 'alpha:4' });
    const second = await start({ API_KEY_LIMITS: 'alpha:4' });
    const statuses: number[] = [];
    for (const app of [first, second, first, second, first, second]) {
      statuses.push((await diagnose(app, TEST_KEYS.alpha)).statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 429, 429]);
  });

  it('limits a principal again once its window has passed', async () => {
    const app = await start({ API_KEY_LIMITS: 'alpha:1', RATE_LIMIT_WINDOW_MS: '1000' });
    expect((await diagnose(app, TEST_KEYS.alpha)).statusCode).toBe(200);
    expect((await diagnose(app, TEST_KEYS.alpha)).statusCode).toBe(429);
    await vi.waitFor(
      async () => expect((await diagnose(app, TEST_KEYS.alpha)).statusCode, 'the window to reset').toBe(200),
      { timeout: 20_000, interval: 100 },
    );
  });
});

describe('rate limiting of unauthenticated traffic', () => {
  it('limits health and docs per client IP, without touching principals’ buckets', async () => {
    const app = await start({ RATE_LIMIT_MAX: '3' });
    for (let i = 0; i < 3; i++) {
      expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
    }
    const refused = await app.inject({ method: 'GET', url: '/health/live' });
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBeDefined();
    expect(refused.json().error.code).toBe('rate_limited');

    const elsewhere = await app.inject({ method: 'GET', url: '/health/live', remoteAddress: '203.0.113.9' });
    expect(elsewhere.statusCode).toBe(200);
    // Same IP, but authenticated: the principal's own bucket applies.
    expect((await diagnose(app, TEST_KEYS.alpha)).statusCode).toBe(200);
  });

  it('keys on the address from X-Forwarded-For only when TRUST_PROXY allows it', async () => {
    const untrusting = await start({ RATE_LIMIT_MAX: '1' });
    const spoof = (app: FastifyInstance, ip: string) =>
      app.inject({ method: 'GET', url: '/health/live', headers: { 'x-forwarded-for': ip } });
    expect((await spoof(untrusting, '198.51.100.1')).statusCode).toBe(200);
    expect((await spoof(untrusting, '198.51.100.2')).statusCode).toBe(429);

    await redis.command('FLUSHALL');
    // inject connects from 127.0.0.1: the proxy's address here.
    const trusting = await start({ RATE_LIMIT_MAX: '1', TRUST_PROXY: '127.0.0.1' });
    expect((await spoof(trusting, '198.51.100.1')).statusCode).toBe(200);
    expect((await spoof(trusting, '198.51.100.2')).statusCode).toBe(200);
    expect((await spoof(trusting, '198.51.100.2')).statusCode).toBe(429);
  });
});

describe('repeated authentication failures', () => {
  it('refuses an IP with 429 before authentication once it has collected AUTH_FAILURE_LIMIT 401s', async () => {
    const app = await start({ AUTH_FAILURE_LIMIT: '5' });
    for (let i = 0; i < 5; i++) {
      expect((await diagnose(app, `wrong-key-${i}`)).statusCode).toBe(401);
    }
    // Even a valid key is refused from that address now: guessing must not be able to continue.
    const refused = await diagnose(app, TEST_KEYS.alpha);
    expect(refused.statusCode).toBe(429);
    expect(refused.json().error.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect((await diagnose(app, 'wrong-key-again')).statusCode).toBe(429);

    // Other addresses are unaffected.
    expect((await diagnose(app, TEST_KEYS.alpha, { remoteAddress: '203.0.113.7' })).statusCode).toBe(200);
    expect((await diagnose(app, 'wrong', { remoteAddress: '203.0.113.7' })).statusCode).toBe(401);
  });

  it('shares the failure count across instances', async () => {
    const first = await start({ AUTH_FAILURE_LIMIT: '4' });
    const second = await start({ AUTH_FAILURE_LIMIT: '4' });
    for (const app of [first, second, first]) expect((await diagnose(app, 'bad-key')).statusCode).toBe(401);
    // The fourth failure, on the second instance, reaches the shared limit.
    expect((await diagnose(second, 'bad-key')).statusCode).toBe(401);
    expect((await diagnose(second, TEST_KEYS.alpha)).statusCode).toBe(429);
    // The first instance learns of it at the next failure it sees, and refuses from then on.
    expect((await diagnose(first, 'bad-key')).statusCode).toBe(401);
    expect((await diagnose(first, TEST_KEYS.alpha)).statusCode).toBe(429);
  });
});

describe('without Redis', () => {
  it('applies the same limits in process memory', async () => {
    const app = await start({ REDIS_URL: undefined, API_KEY_LIMITS: 'alpha:2', AUTH_FAILURE_LIMIT: '2' });
    expect((await diagnose(app, TEST_KEYS.alpha)).statusCode).toBe(200);
    expect((await diagnose(app, TEST_KEYS.alpha)).statusCode).toBe(200);
    expect((await diagnose(app, TEST_KEYS.alpha)).statusCode).toBe(429);
    expect((await diagnose(app, TEST_KEYS.beta)).statusCode).toBe(200);
    expect((await diagnose(app, 'nope')).statusCode).toBe(401);
    expect((await diagnose(app, 'nope')).statusCode).toBe(401);
    expect((await diagnose(app, TEST_KEYS.beta)).statusCode).toBe(429);
    expect(await redis.command('DBSIZE')).toBe(':0');
  });
});
