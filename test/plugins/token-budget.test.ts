import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

// Each valid answer from the fake reports 900 prompt + 300 completion = 1200 tokens.
const TOKENS_PER_CALL = 1200;

let redis: RedisServer;
let fake: FakeOpenAI;
const apps: TestApp[] = [];

async function start(env: Record<string, string | undefined> = {}): Promise<FastifyInstance> {
  const testApp = await startTestApp({
    DIAGNOSIS_PROVIDER: 'openai',
    OPENAI_API_KEY: 'x',
    OPENAI_BASE_URL: fake.baseURL,
    REDIS_URL: redis.url,
    DAILY_TOKEN_BUDGET: '2000',
    ...env,
  });
  apps.push(testApp);
  return testApp.app;
}

const diagnose = (app: FastifyInstance, key = TEST_KEYS.alpha) =>
  app.inject({ method: 'POST', url: '/v1/diagnose', headers: { 'x-api-key': key }, payload: SAMPLE_REQUEST });

function nextUtcMidnight(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate() + 1));
}

beforeAll(async () => {
  [redis, fake] = await Promise.all([startRedisServer(), new FakeOpenAI().start()]);
});
beforeEach(async () => {
  await redis.command('FLUSHALL');
  fake.setModes(['valid']);
});
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()));
});
afterAll(async () => {
  await Promise.all([redis?.stop(), fake?.stop()]);
});

describe('daily token budget', () => {
  it('refuses diagnosis with 429 budget_exhausted once a principal has used its budget for the day', async () => {
    const app = await start();
    expect((await diagnose(app)).statusCode).toBe(200); // 1200 used
    expect((await diagnose(app)).statusCode).toBe(200); // 2400 used: over 2000 from now on
    expect(fake.calls).toBe(2);

    const refused = await diagnose(app);
    expect(refused.statusCode).toBe(429);
    const body = refused.json();
    expect(body.error.code).toBe('budget_exhausted');
    const reset = nextUtcMidnight();
    expect(body.error.message).toContain(reset.toISOString());
    const retryAfter = Number(refused.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(Math.ceil((reset.getTime() - Date.now()) / 1000) + 1);
    // The refused request cost nothing.
    expect(fake.calls).toBe(2);

    // Other principals have their own budget.
    expect((await diagnose(app, TEST_KEYS.beta)).statusCode).toBe(200);

    const day = new Date().toISOString().slice(0, 10);
    expect(await redis.command('GET', `tenderly:budget:${day}:api-key:alpha`)).toBe(
      `$4\r\n${2 * TOKENS_PER_CALL}`,
    );
    const ttl = Number((await redis.command('TTL', `tenderly:budget:${day}:api-key:alpha`)).slice(1));
    expect(ttl).toBeGreaterThan(0);
  });

  it('is shared by instances using the same Redis', async () => {
    const first = await start();
    const second = await start();
    expect((await diagnose(first)).statusCode).toBe(200);
    expect((await diagnose(second)).statusCode).toBe(200);
    expect((await diagnose(first)).json().error.code).toBe('budget_exhausted');
    expect((await diagnose(second)).json().error.code).toBe('budget_exhausted');
  });

  it('works in process memory without Redis', async () => {
    const app = await start({ REDIS_URL: undefined });
    expect((await diagnose(app)).statusCode).toBe(200);
    expect((await diagnose(app)).statusCode).toBe(200);
    expect((await diagnose(app)).json().error.code).toBe('budget_exhausted');
    expect(await redis.command('DBSIZE')).toBe(':0');
  });

  it('does not apply without DAILY_TOKEN_BUDGET', async () => {
    const app = await start({ DAILY_TOKEN_BUDGET: undefined });
    for (let i = 0; i < 3; i++) expect((await diagnose(app)).statusCode).toBe(200);
  });

  it('does not charge knowledge-base answers', async () => {
    const app = await start({ DIAGNOSIS_PROVIDER: 'knowledge-base', OPENAI_API_KEY: undefined });
    for (let i = 0; i < 4; i++) {
      const res = await diagnose(app);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().engine.provider).toBe('knowledge-base');
    }
    expect(fake.calls).toBe(0);
    expect(await redis.command('KEYS', 'tenderly:budget:*')).toBe('*0');
  });

  it('does not charge a knowledge-base fallback answer after a failed model call', async () => {
    fake.setModes(['error500']);
    const app = await start({ OPENAI_MAX_RETRIES: '0' });
    for (let i = 0; i < 3; i++) {
      const res = await diagnose(app);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().engine).toMatchObject({ provider: 'knowledge-base', fallback: true });
    }
    expect(await redis.command('KEYS', 'tenderly:budget:*')).toBe('*0');
  });
});
