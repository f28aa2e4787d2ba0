import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';

const AUTH = { 'x-api-key': TEST_KEYS.alpha };

/** Sums one metric (all label sets, or those matching `labels`) across replicas' /metrics pages. */
async function metric(apps: TestApp[], name: string, labels = ''): Promise<number> {
  let total = 0;
  for (const t of apps) {
    const page = (await t.app.inject({ url: '/metrics' })).body;
    for (const line of page.split('\n')) {
      if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
      if (labels && !line.includes(labels)) continue;
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
  }
  return total;
}

/** Runs `count` diagnoses over the replicas in turn, `concurrency` at a time. */
async function burst(apps: TestApp[], count: number, concurrency: number) {
  const statuses: number[] = [];
  const bodies: Array<Record<string, any>> = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        const res = await apps[i % apps.length]!.app.inject({
          method: 'POST',
          url: '/v1/diagnose',
          headers: AUTH,
          payload: SAMPLE_REQUEST,
        });
        statuses.push(res.statusCode);
        bodies.push(res.json());
      }
    }),
  );
  return { statuses, bodies };
}

/** The governor's ceilings count per clock minute: start a burst well inside one. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 45_000) await sleep(60_000 - intoMinute + 200);
}

describe('upstream governance across two replicas (real Redis, a fake provider enforcing its own limit)', () => {
  let redis: RedisServer;
  let fake: FakeOpenAI;
  const apps: TestApp[] = [];

  const replicas = async (env: Record<string, string>) => {
    for (let i = 0; i < 2; i++)
      apps.push(
        await startTestApp({
          REDIS_URL: redis.url,
          DIAGNOSIS_PROVIDER: 'openai',
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: fake.baseURL,
          RATE_LIMIT_MAX: '100000',
          ...env,
        }),
      );
  };

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterEach(async () => {
    for (const t of apps.splice(0)) await t.app.close();
    await fake?.stop();
    await redis.command('FLUSHALL');
  });
  afterAll(async () => {
    await redis.stop();
  });

  it('keeps below the provider limit with a shared ceiling: every request answered, ≤ 1% upstream 429s, metrics reconcile', async () => {
    fake = await new FakeOpenAI({ limit: { requests: 20, windowMs: 60_000 } }).start();
    await replicas({ UPSTREAM_RPM: '15' });
    await awayFromMinuteBoundary();
    const { statuses, bodies } = await burst(apps, 80, 8);

    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(fake.calls).toBe(15); // the shared ceiling, not 15 per replica
    expect(fake.limited).toBeLessThanOrEqual(Math.floor(fake.calls * 0.01));
    const fallbacks = bodies.filter((b) => b.engine.fallback);
    expect(fallbacks).toHaveLength(80 - 15);
    expect(fallbacks.every((b) => b.engine.provider === 'knowledge-base')).toBe(true);

    expect(await metric(apps, 'tenderly_upstream_throttled_total', 'reason="requests_per_minute"')).toBe(65);
    expect(await metric(apps, 'tenderly_fallbacks_total', 'reason="upstream_throttled"')).toBe(65);
    expect(await metric(apps, 'tenderly_upstream_attempts_total', 'outcome="ok"')).toBe(fake.admitted);
    expect(await metric(apps, 'tenderly_upstream_in_flight')).toBe(0);
  });

  it('pauses every replica when the provider reports its own limit exhausted, instead of retrying into it', async () => {
    fake = await new FakeOpenAI({ limit: { requests: 6, windowMs: 60_000 } }).start();
    await replicas({});
    const first = await burst(apps, 6, 1); // uses the provider's whole budget; its last answer says 0 remain
    expect(first.statuses.every((s) => s === 200)).toBe(true);
    const callsBefore = fake.calls;
    const { statuses, bodies } = await burst(apps, 30, 6);
    expect(statuses.every((s) => s === 200)).toBe(true);
    expect(fake.calls).toBe(callsBefore); // nothing sent while paused
    expect(fake.limited).toBe(0);
    expect(bodies.every((b) => b.engine.fallback)).toBe(true);
    expect(await metric(apps, 'tenderly_upstream_throttled_total', 'reason="upstream_paused"')).toBe(30);
  });

  it('answers 429 with Retry-After and the error shape when the ceiling is reached and no fallback is configured', async () => {
    fake = await new FakeOpenAI().start();
    await replicas({ UPSTREAM_RPM: '2', DIAGNOSIS_FALLBACK: 'none' });
    await awayFromMinuteBoundary();
    const { statuses, bodies } = await burst(apps, 4, 1);
    expect(statuses).toEqual([200, 200, 429, 429]);
    expect(bodies[2]).toMatchObject({ error: { code: 'upstream_throttled' } });
    const refused = await apps[0]!.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: AUTH,
      payload: SAMPLE_REQUEST,
    });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(fake.calls).toBe(2);
  });
});
