// Upstream chaos: the fake model answers with a seeded random mix of success, 429, 500, stalls and malformed
// output. Every client answer is a schema-valid diagnosis (the model's or the fallback's) or a documented error
// (502/503/504 in the error shape), and the metrics count exactly what happened: upstream attempts by outcome
// equal what the fake served, fallbacks equal the fallback answers. CHAOS_SEED=<n> replays a run.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnoseResponse, ErrorResponse } from '../../src/domain/schemas/diagnose.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { FakeOpenAI, type FakeMode } from '../support/fake-openai.ts';
import { parseExposition, sampleValue, type Sample } from '../support/prometheus-server.ts';
import { injectPastShedding, shedStats } from '../support/shed-retry.ts';

const REQUESTS = 100;
const CONCURRENCY = 6;
const BASE_SEED = process.env.CHAOS_SEED ? Number(process.env.CHAOS_SEED) : 20261125;
const WEIGHTS: Partial<Record<FakeMode, number>> = {
  valid: 5,
  rate_limited: 1,
  error500: 1,
  stall: 1,
  malformed: 1,
};
/** What the provider's telemetry must record for one call answered in each mode. */
const OUTCOME_OF: Partial<Record<FakeMode, string>> = {
  valid: 'ok',
  // A 200 with content is an ok HTTP attempt; the unparseable content then costs a repair call.
  malformed: 'ok',
  rate_limited: 'rate_limited',
  error500: 'upstream_error',
  stall: 'timeout',
};
const OUTCOMES = ['ok', 'rate_limited', 'upstream_error', 'timeout', 'invalid_output', 'repaired'];

async function scrape(app: TestApp['app']): Promise<Sample[]> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return parseExposition(res.body);
}

const counter = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  sampleValue(samples, name, labels) ?? 0;

/** Runs `count` tasks, `width` at a time. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const results: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        results[i] = await task(i);
      }
    }),
  );
  return results;
}

describe.each([
  { fallback: 'knowledge-base', seed: BASE_SEED },
  { fallback: 'none', seed: BASE_SEED + 1 },
])('upstream chaos with DIAGNOSIS_FALLBACK=$fallback', ({ fallback, seed }) => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ retryAfterSeconds: 0 }).start();
    t = await startTestApp({
      NODE_ENV: 'test',
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      DIAGNOSIS_FALLBACK: fallback,
      // A stall costs one per-attempt timeout; generous, so only stalls time out on a slow machine.
      OPENAI_TIMEOUT_MS: '2500',
      OPENAI_DEADLINE_MS: '60000',
      OPENAI_MAX_RETRIES: '2',
      OPENAI_RETRY_BASE_MS: '5',
      RATE_LIMIT_MAX: '1000000',
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    await t?.app.close();
    await fake?.stop();
  });

  it('answers every request with a valid diagnosis or a documented error, and counts every outcome', async () => {
    // Warm up (JIT, connections, the knowledge base) with plain answers, so the run starts on a settled process.
    fake.setModes(['valid']);
    for (let i = 0; i < 5; i++) {
      await injectPastShedding(t.app, {
        method: 'POST',
        url: '/v1/diagnose',
        headers: { 'x-api-key': TEST_KEYS.alpha },
        payload: SAMPLE_REQUEST,
      });
    }
    const before = await scrape(t.app);
    fake.setRandom(seed, WEIGHTS);

    const answers = await pool(REQUESTS, CONCURRENCY, (i) =>
      injectPastShedding(t.app, {
        method: 'POST',
        url: '/v1/diagnose',
        headers: { 'x-api-key': TEST_KEYS.alpha, 'x-request-id': `chaos-${seed}-${i}` },
        payload: SAMPLE_REQUEST,
      }),
    );
    const after = await scrape(t.app);
    if (shedStats.retries)
      console.warn(`under-pressure shed ${shedStats.retries} requests; they were sent again`);

    // Client side: a schema-valid answer, or a documented upstream error in the error shape.
    let modelAnswers = 0;
    let fallbackAnswers = 0;
    const errors: Record<number, number> = {};
    for (const res of answers) {
      const body = res.json() as unknown;
      if (res.statusCode === 200) {
        const parsed = DiagnoseResponse.safeParse(body);
        expect(parsed.success, `${res.body.slice(0, 300)}\n${parsed.error?.message ?? ''}`).toBe(true);
        const engine = parsed.data?.engine;
        if (engine?.fallback) {
          expect(engine.provider).toBe('knowledge-base');
          fallbackAnswers++;
        } else {
          expect(engine?.provider).toBe('openai');
          modelAnswers++;
        }
      } else {
        expect([502, 503, 504], res.body).toContain(res.statusCode);
        expect(ErrorResponse.safeParse(body).success, res.body).toBe(true);
        expect(res.json().request_id).toBe(res.headers['x-request-id']);
        // Upstream text never reaches the client.
        expect(res.body).not.toContain('secret upstream detail');
        if (res.statusCode === 503) expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
        errors[res.statusCode] = (errors[res.statusCode] ?? 0) + 1;
      }
    }
    const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
    expect(modelAnswers + fallbackAnswers + errorCount).toBe(REQUESTS);
    if (fallback === 'none') {
      expect(fallbackAnswers).toBe(0);
    } else {
      // With a fallback every request gets an answer.
      expect(errorCount, JSON.stringify(errors)).toBe(0);
    }

    // The mix really was chaotic: every mode was served, and both kinds of client outcome happened.
    const served = fake.requests.map((r) => r.mode);
    for (const mode of Object.keys(WEIGHTS)) expect(served, `mode ${mode} never served`).toContain(mode);
    expect(modelAnswers).toBeGreaterThan(0);
    expect(fallback === 'none' ? errorCount : fallbackAnswers).toBeGreaterThan(0);

    // Server side: attempts by outcome are exactly what the fake served.
    const expected: Record<string, number> = Object.fromEntries(OUTCOMES.map((o) => [o, 0]));
    for (const call of fake.requests) {
      expected[OUTCOME_OF[call.mode] as string]! += 1;
      // A repair call carries the model's rejected answer; when it is answered validly, it repaired the answer.
      const isRepair = Array.isArray(call.body.messages) && call.body.messages.length > 2;
      if (isRepair && call.mode === 'valid') expected.repaired! += 1;
    }
    const attempts = (samples: Sample[], outcome: string) =>
      counter(samples, 'tenderly_upstream_attempts_total', { outcome });
    const measured = Object.fromEntries(OUTCOMES.map((o) => [o, attempts(after, o) - attempts(before, o)]));
    expect(measured).toEqual(expected);

    const fallbacks =
      counter(after, 'tenderly_fallbacks_total') - counter(before, 'tenderly_fallbacks_total');
    expect(fallbacks).toBe(fallbackAnswers);
    const diagnoses = (samples: Sample[], labels: Record<string, string>) =>
      counter(samples, 'tenderly_diagnoses_total', labels);
    expect(diagnoses(after, { fallback: 'true' }) - diagnoses(before, { fallback: 'true' })).toBe(
      fallbackAnswers,
    );
    expect(diagnoses(after, { fallback: 'false' }) - diagnoses(before, { fallback: 'false' })).toBe(
      modelAnswers,
    );
  }, 120_000);
});
