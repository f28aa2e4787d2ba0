import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { ApiError } from '../../src/http/api-error.ts';
import { AppMetrics } from '../../src/infra/metrics/metrics.ts';
import type { DiagnosisOutcome } from '../../src/domain/diagnosis/diagnose.ts';
import {
  LogCapture,
  SAMPLE_REQUEST,
  TEST_JWT_SECRET,
  TEST_KEYS,
  startTestApp,
  testConfig,
  type TestApp,
} from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { nowSeconds, signJwt } from '../support/jwt.ts';
import { freePort } from '../support/ports.ts';
import { parseExposition, sampleValue, type Sample } from '../support/prometheus-server.ts';

const METRICS_TOKEN = 'metrics-token-0123456789abcdef';
const SENT_REQUEST_ID = 'xrid-SENTINEL-7f3a';
const JWT_SUBJECT = 'subject-SENTINEL-9c2e';
const RAW_URL_PART = 'path-SENTINEL-4d1b';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const alpha = { 'x-api-key': TEST_KEYS.alpha };
const jwtFor = (sub: string) => ({
  authorization: `Bearer ${signJwt({ sub, iat: nowSeconds(), exp: nowSeconds() + 600 }, TEST_JWT_SECRET)}`,
});

async function scrape(app: FastifyInstance, headers: Record<string, string> = {}): Promise<Sample[]> {
  const res = await app.inject({ method: 'GET', url: '/metrics', headers });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parseExposition(res.body);
}

/** The real app plus a route that answers 429 with a chosen error code, as the rate-limit and budget plugins do. */
async function appWithRejectionRoute(env: Record<string, string> = {}): Promise<TestApp> {
  const config = testConfig(env);
  const logs = new LogCapture();
  const app = await buildApp({ config, logStream: logs });
  app.post<{ Params: { code: string } }>(
    '/test/reject/:code',
    {
      onRequest: async (request) => {
        if (request.headers['x-api-key'] || request.headers.authorization) await app.authenticate(request);
      },
    },
    async (request) => {
      throw new ApiError(429, request.params.code, 'Too many requests.', { headers: { 'retry-after': '1' } });
    },
  );
  await app.ready();
  return { app, logs, config };
}

describe('metrics: series, labels and privacy', () => {
  let t: TestApp;
  const seenRequestIds: string[] = [];

  beforeAll(async () => {
    t = await appWithRejectionRoute();
    const responses = await Promise.all([
      t.app.inject({ method: 'GET', url: '/health/live' }),
      t.app.inject({ method: 'GET', url: '/health/live', headers: { 'x-request-id': SENT_REQUEST_ID } }),
      t.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: { ...alpha, 'x-request-id': SENT_REQUEST_ID },
        payload: SAMPLE_REQUEST,
      }),
      t.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: jwtFor(JWT_SUBJECT),
        payload: SAMPLE_REQUEST,
      }),
      t.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: alpha,
        payload: { ...SAMPLE_REQUEST, patient: { age: 7 } },
      }),
      t.app.inject({ method: 'POST', url: '/v1/diagnose', payload: SAMPLE_REQUEST }),
      t.app.inject({ method: 'GET', url: `/no/such/${RAW_URL_PART}?q=${RAW_URL_PART}` }),
      t.app.inject({ method: 'DELETE', url: '/health/live' }),
      t.app.inject({ method: 'POST', url: '/test/reject/rate_limited', headers: alpha }),
      t.app.inject({ method: 'POST', url: '/test/reject/rate_limited', headers: alpha }),
      t.app.inject({ method: 'POST', url: '/test/reject/rate_limited', headers: jwtFor(JWT_SUBJECT) }),
      t.app.inject({ method: 'POST', url: '/test/reject/rate_limited' }),
      t.app.inject({
        method: 'POST',
        url: '/test/reject/budget_exhausted',
        headers: { 'x-api-key': TEST_KEYS.beta },
      }),
    ]);
    for (const res of responses) seenRequestIds.push(String(res.headers['x-request-id']));
  });
  afterAll(async () => {
    await t.app.close();
  });

  it('exports the default process metrics, build info and scrape-time gauges', async () => {
    const samples = await scrape(t.app);
    for (const name of [
      'process_cpu_user_seconds_total',
      'process_resident_memory_bytes',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
    ]) {
      expect(sampleValue(samples, name), name).toBeDefined();
    }
    expect(sampleValue(samples, 'tenderly_build_info', { node: process.versions.node })).toBe(1);
    expect(samples.find((s) => s.name === 'tenderly_build_info')?.labels.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(sampleValue(samples, 'tenderly_under_pressure')).toBe(0);
    const ready = (await t.app.checkReadiness()).ready ? 1 : 0;
    expect(sampleValue(samples, 'tenderly_ready')).toBe(ready);
    // Redis is not configured: no Redis series, so tenderly_redis_up == 0 always means trouble.
    expect(sampleValue(samples, 'tenderly_redis_up')).toBeUndefined();
  });

  it('labels requests with the route pattern and status class', async () => {
    const samples = await scrape(t.app);
    const count = 'tenderly_http_request_duration_seconds_count';
    expect(sampleValue(samples, count, { method: 'GET', route: '/health/live', status_class: '2xx' })).toBe(
      2,
    );
    expect(sampleValue(samples, count, { method: 'POST', route: '/v1/diagnose', status_class: '4xx' })).toBe(
      2,
    ); // 400 and 401
    expect(sampleValue(samples, count, { method: 'POST', route: '/v1/diagnose' })).toBe(4);
    expect(
      sampleValue(samples, count, { method: 'POST', route: '/test/reject/:code', status_class: '4xx' }),
    ).toBe(5);
    expect(
      sampleValue(samples, 'tenderly_http_request_duration_seconds_bucket', {
        route: '/health/live',
        le: '+Inf',
      }),
    ).toBe(2);
  });

  it('labels 404s "unmatched", never with the raw URL', async () => {
    const samples = await scrape(t.app);
    expect(
      sampleValue(samples, 'tenderly_http_request_duration_seconds_count', {
        method: 'GET',
        route: 'unmatched',
        status_class: '4xx',
      }),
    ).toBe(1);
    expect(
      sampleValue(samples, 'tenderly_http_request_duration_seconds_count', {
        method: 'DELETE',
        route: 'unmatched',
        status_class: '4xx',
      }),
    ).toBe(1);
    const routes = new Set(
      samples.filter((s) => s.name.startsWith('tenderly_http_')).map((s) => s.labels.route),
    );
    for (const route of routes) expect(route === 'unmatched' || route?.startsWith('/')).toBe(true);
    expect([...routes].some((r) => r?.includes('no/such'))).toBe(false);
  });

  it('does not count its own scrapes as traffic', async () => {
    await scrape(t.app);
    const samples = await scrape(t.app);
    expect(
      sampleValue(samples, 'tenderly_http_request_duration_seconds_count', { route: '/metrics' }),
    ).toBeUndefined();
  });

  it('counts 429s by kind, labelled with the API-key service, "jwt" or "anonymous"', async () => {
    const samples = await scrape(t.app);
    expect(sampleValue(samples, 'tenderly_rate_limit_rejections_total', { principal: 'alpha' })).toBe(2);
    expect(sampleValue(samples, 'tenderly_rate_limit_rejections_total', { principal: 'jwt' })).toBe(1);
    expect(sampleValue(samples, 'tenderly_rate_limit_rejections_total', { principal: 'anonymous' })).toBe(1);
    expect(sampleValue(samples, 'tenderly_rate_limit_rejections_total')).toBe(4);
    expect(sampleValue(samples, 'tenderly_budget_exhaustions_total', { principal: 'beta' })).toBe(1);
    expect(sampleValue(samples, 'tenderly_budget_exhaustions_total')).toBe(1);
  });

  it('never carries a request id, the X-Request-ID sent, a JWT subject, a symptom or the note in a label', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/metrics' });
    const forbidden = [
      SENT_REQUEST_ID,
      JWT_SUBJECT,
      RAW_URL_PART,
      SAMPLE_REQUEST.notes,
      'SECRET-NOTE-6b1f',
      ...SAMPLE_REQUEST.symptoms,
      ...seenRequestIds,
    ];
    expect(seenRequestIds).toContain(SENT_REQUEST_ID);
    const values = parseExposition(res.body).flatMap((s) => Object.values(s.labels));
    expect(values.length).toBeGreaterThan(50);
    for (const value of values) {
      expect(UUID.test(value), `label value ${value} looks like a request id`).toBe(false);
      for (const secret of forbidden)
        expect(value.includes(secret), `label value ${value} carries ${secret}`).toBe(false);
    }
    // Not even in HELP text or anywhere else in the scrape.
    for (const secret of forbidden) expect(res.body.includes(secret), secret).toBe(false);
  });

  it('keeps a registry per app instance', async () => {
    const other = await startTestApp();
    try {
      const samples = await scrape(other.app);
      expect(
        sampleValue(samples, 'tenderly_http_request_duration_seconds_count', { route: '/health/live' }),
      ).toBeUndefined();
      expect(sampleValue(samples, 'tenderly_rate_limit_rejections_total')).toBeUndefined();
      // Process-wide metrics are there in every app's scrape.
      expect(sampleValue(samples, 'process_cpu_user_seconds_total')).toBeDefined();
    } finally {
      await other.app.close();
    }
    expect(
      sampleValue(await scrape(t.app), 'tenderly_http_request_duration_seconds_count', {
        route: '/health/live',
      }),
    ).toBe(2);
  });
});

describe('metrics: where /metrics is served', () => {
  it('is public on the main port outside production', async () => {
    const t = await startTestApp({ NODE_ENV: 'development' });
    try {
      expect((await t.app.inject({ url: '/metrics' })).statusCode).toBe(200);
    } finally {
      await t.app.close();
    }
  });

  it('is a 404 on the main port in production when neither a port nor a token is configured', async () => {
    const t = await startTestApp({ NODE_ENV: 'production' });
    try {
      const res = await t.app.inject({ url: '/metrics' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({
        error: { code: expect.any(String) },
        request_id: expect.any(String),
      });
    } finally {
      await t.app.close();
    }
  });

  it('requires the bearer token on the main port when METRICS_TOKEN is set', async () => {
    const t = await startTestApp({ NODE_ENV: 'production', METRICS_TOKEN });
    try {
      for (const headers of [
        {},
        { authorization: 'Bearer wrong-token-0123456789abcdef' },
        { authorization: METRICS_TOKEN },
        { 'x-api-key': TEST_KEYS.alpha },
      ]) {
        const res = await t.app.inject({ url: '/metrics', headers });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({
          error: { code: 'unauthorized', message: expect.any(String) },
          request_id: expect.any(String),
        });
        expect(res.body).not.toContain(METRICS_TOKEN);
      }
      const ok = await t.app.inject({
        url: '/metrics',
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toContain('tenderly_build_info');
    } finally {
      await t.app.close();
    }
  });

  it('serves a separate METRICS_PORT, and the main port has no /metrics', async () => {
    const metricsPort = await freePort();
    const t = await startTestApp({
      HOST: '127.0.0.1',
      METRICS_PORT: String(metricsPort),
      NODE_ENV: 'development',
    });
    try {
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      const mainPort = typeof address === 'object' && address ? address.port : 0;
      await fetch(`http://127.0.0.1:${mainPort}/health/live`);

      const main = await fetch(`http://127.0.0.1:${mainPort}/metrics`);
      expect(main.status).toBe(404);
      expect(await main.json()).toMatchObject({ error: { code: expect.any(String) } });

      const res = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const samples = parseExposition(await res.text());
      expect(
        sampleValue(samples, 'tenderly_http_request_duration_seconds_count', {
          route: '/health/live',
          status_class: '2xx',
        }),
      ).toBe(1);
      // The 404 on the main port is traffic; the scrapes of the metrics port are not.
      expect(
        sampleValue(samples, 'tenderly_http_request_duration_seconds_count', { route: 'unmatched' }),
      ).toBe(1);

      const other = await fetch(`http://127.0.0.1:${metricsPort}/health/live`);
      expect(other.status).toBe(404);
      expect(await other.json()).toMatchObject({
        error: { code: 'not_found' },
        request_id: expect.any(String),
      });
    } finally {
      await t.app.close();
    }
    // Closed with the app.
    await expect(fetch(`http://127.0.0.1:${metricsPort}/metrics`)).rejects.toThrow();
  });

  it('requires the token on the separate port too when both are set', async () => {
    const metricsPort = await freePort();
    const t = await startTestApp({ HOST: '127.0.0.1', METRICS_PORT: String(metricsPort), METRICS_TOKEN });
    try {
      const denied = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
      expect(denied.status).toBe(401);
      expect(await denied.json()).toMatchObject({ error: { code: 'unauthorized' } });
      const ok = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, {
        headers: { authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(ok.status).toBe(200);
      expect(
        (await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${METRICS_TOKEN}` } }))
          .statusCode,
      ).toBe(404);
    } finally {
      await t.app.close();
    }
  });

  it('fails start-up when the metrics port is taken', async () => {
    const metricsPort = await freePort();
    const first = await startTestApp({ HOST: '127.0.0.1', METRICS_PORT: String(metricsPort) });
    try {
      await expect(startTestApp({ HOST: '127.0.0.1', METRICS_PORT: String(metricsPort) })).rejects.toThrow(
        /EADDRINUSE/,
      );
    } finally {
      await first.app.close();
    }
  });
});

describe('metrics: upstream outcomes, tokens, cost, fallbacks', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MAX_RETRIES: '1',
      DIAGNOSIS_FALLBACK: 'knowledge-base',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  const diagnose = () =>
    t.app.inject({ method: 'POST', url: '/v1/diagnose', headers: alpha, payload: SAMPLE_REQUEST });
  const read = async () => scrape(t.app);
  const attempts = (s: Sample[], outcome: string) =>
    sampleValue(s, 'tenderly_upstream_attempts_total', { model: 'gpt-4o-mini', outcome }) ?? 0;

  it('counts a valid answer as one ok attempt, with its tokens, cost and diagnosis', async () => {
    fake.setModes(['valid']);
    const before = await read();
    const res = await diagnose();
    expect(res.statusCode).toBe(200);
    const after = await read();
    expect(attempts(after, 'ok') - attempts(before, 'ok')).toBe(1);
    const tokens = (s: Sample[], kind: string) =>
      sampleValue(s, 'tenderly_tokens_total', { model: 'gpt-4o-mini', kind }) ?? 0;
    expect(tokens(after, 'prompt') - tokens(before, 'prompt')).toBe(900);
    expect(tokens(after, 'completion') - tokens(before, 'completion')).toBe(300);
    const cost = (s: Sample[]) => sampleValue(s, 'tenderly_cost_usd_total', { model: 'gpt-4o-mini' }) ?? 0;
    expect(cost(after) - cost(before)).toBeCloseTo((900 * 0.15 + 300 * 0.6) / 1_000_000, 12);
    const level = (res.json() as { triage: { level: string } }).triage.level;
    const diagnoses = (s: Sample[]) =>
      sampleValue(s, 'tenderly_diagnoses_total', {
        triage_level: level,
        provider: 'openai',
        fallback: 'false',
      }) ?? 0;
    expect(diagnoses(after) - diagnoses(before)).toBe(1);
    expect(
      sampleValue(after, 'tenderly_upstream_request_duration_seconds_count', {
        model: 'gpt-4o-mini',
        outcome: 'ok',
      }),
    ).toBeGreaterThanOrEqual(1);
  });

  it('counts an upstream 500 (one retry) as two upstream_error attempts and one fallback', async () => {
    fake.setModes(['error500']);
    const before = await read();
    const res = await diagnose();
    expect(fake.calls).toBe(2);
    const after = await read();
    expect(attempts(after, 'upstream_error') - attempts(before, 'upstream_error')).toBe(2);
    expect(
      sampleValue(after, 'tenderly_upstream_request_duration_seconds_count', {
        model: 'gpt-4o-mini',
        outcome: 'upstream_error',
      }),
    ).toBeGreaterThanOrEqual(2);
    // The knowledge base answers in place of the model.
    expect(res.statusCode).toBe(200);
    const fallbacks = (s: Sample[]) =>
      sampleValue(s, 'tenderly_fallbacks_total', { reason: 'unavailable' }) ?? 0;
    expect(fallbacks(after) - fallbacks(before)).toBe(1);
    const viaFallback = (s: Sample[]) =>
      sampleValue(s, 'tenderly_diagnoses_total', { provider: 'knowledge-base', fallback: 'true' }) ?? 0;
    expect(viaFallback(after) - viaFallback(before)).toBe(1);
  });

  it('counts an invalid answer fixed by the repair call as "repaired"', async () => {
    fake.setModes(['invalid', 'valid']);
    const before = await read();
    expect((await diagnose()).statusCode).toBe(200);
    expect(fake.calls).toBe(2);
    const after = await read();
    expect(attempts(after, 'repaired') - attempts(before, 'repaired')).toBe(1);
    expect(attempts(after, 'ok') - attempts(before, 'ok')).toBe(2);
    const prompt = (s: Sample[]) =>
      sampleValue(s, 'tenderly_tokens_total', { model: 'gpt-4o-mini', kind: 'prompt' }) ?? 0;
    expect(prompt(after) - prompt(before)).toBe(1800);
    // "repaired" is a marker, not an HTTP attempt: it has no duration.
    expect(
      sampleValue(after, 'tenderly_upstream_request_duration_seconds_count', { outcome: 'repaired' }),
    ).toBeUndefined();
  });

  it('counts a refusal as invalid_output', async () => {
    fake.setModes(['refusal']);
    const before = await read();
    await diagnose();
    const after = await read();
    expect(attempts(after, 'invalid_output') - attempts(before, 'invalid_output')).toBe(1);
  });
});

describe('AppMetrics', () => {
  const outcome = (fired: string[], fallbackReason: DiagnosisOutcome['fallbackReason']): DiagnosisOutcome =>
    ({
      response: { triage: { level: 'emergency' } },
      result: { provider: fallbackReason ? 'knowledge-base' : 'openai' },
      redFlags: { fired: fired.map((id) => ({ id })), floor: null },
      fallbackReason,
    }) as unknown as DiagnosisOutcome;

  it('counts diagnoses, red-flag rules by id and fallbacks by reason', async () => {
    const m = new AppMetrics({ prices: {}, redis: false });
    m.recordDiagnosis(outcome(['ectopic-pregnancy-signs', 'sepsis-signs'], null));
    m.recordDiagnosis(outcome(['ectopic-pregnancy-signs'], 'timeout'));
    const s = parseExposition(await m.render());
    expect(sampleValue(s, 'tenderly_red_flags_total', { rule: 'ectopic-pregnancy-signs' })).toBe(2);
    expect(sampleValue(s, 'tenderly_red_flags_total', { rule: 'sepsis-signs' })).toBe(1);
    expect(sampleValue(s, 'tenderly_fallbacks_total', { reason: 'timeout' })).toBe(1);
    expect(
      sampleValue(s, 'tenderly_diagnoses_total', {
        triage_level: 'emergency',
        provider: 'openai',
        fallback: 'false',
      }),
    ).toBe(1);
    expect(
      sampleValue(s, 'tenderly_diagnoses_total', {
        triage_level: 'emergency',
        provider: 'knowledge-base',
        fallback: 'true',
      }),
    ).toBe(1);
  });

  it('prices tokens from the configured table and skips models without a price', async () => {
    const m = new AppMetrics({ prices: { 'my-model': { prompt: 1, completion: 2 } }, redis: true });
    m.upstreamTelemetry.tokens('my-model', { promptTokens: 1_000_000, completionTokens: 500_000 });
    m.upstreamTelemetry.tokens('unpriced', { promptTokens: 10, completionTokens: 0 });
    const s = parseExposition(await m.render());
    expect(sampleValue(s, 'tenderly_cost_usd_total', { model: 'my-model' })).toBeCloseTo(2, 9);
    expect(sampleValue(s, 'tenderly_cost_usd_total', { model: 'unpriced' })).toBeUndefined();
    expect(sampleValue(s, 'tenderly_tokens_total', { model: 'unpriced', kind: 'prompt' })).toBe(10);
    // Redis configured: the series exist.
    expect(sampleValue(s, 'tenderly_redis_up')).toBeDefined();
    expect(sampleValue(s, 'tenderly_redis_command_duration_seconds_count')).toBeDefined();
  });

  it('can be built many times in one process', () => {
    expect(() => [
      new AppMetrics({ prices: {}, redis: false }),
      new AppMetrics({ prices: {}, redis: true }),
    ]).not.toThrow();
  });
});

describe('metrics: real 429s from the budget and rate-limit plugins', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    // Each fake answer costs 1,200 tokens: the first diagnosis spends the whole budget.
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      DAILY_TOKEN_BUDGET: '1000',
      API_KEY_LIMITS: 'beta:1',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  it('counts a budget exhaustion on a legacy route as a budget exhaustion, and a rate limit as a rate limit', async () => {
    const legacyCall = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/diagnosis/',
        headers,
        payload: {
          diagnosis_request: {
            symptoms: ['pelvic pain'],
            patient_age: 28,
            severity_level: 'moderate',
            duration: '2 weeks',
          },
        },
      });
    expect((await legacyCall(alpha)).statusCode).toBe(200);
    const exhausted = await legacyCall(alpha);
    expect(exhausted.statusCode).toBe(429);
    expect(exhausted.json()).toEqual({ detail: expect.stringMatching(/budget/) }); // FastAPI shape, no code in it
    const beta = { 'x-api-key': TEST_KEYS.beta };
    expect((await legacyCall(beta)).statusCode).toBe(200);
    expect((await legacyCall(beta)).statusCode).toBe(429); // API_KEY_LIMITS: one request per window

    const samples = await scrape(t.app);
    expect(sampleValue(samples, 'tenderly_budget_exhaustions_total', { principal: 'alpha' })).toBe(1);
    expect(
      sampleValue(samples, 'tenderly_rate_limit_rejections_total', { principal: 'alpha' }),
    ).toBeUndefined();
    expect(sampleValue(samples, 'tenderly_rate_limit_rejections_total', { principal: 'beta' })).toBe(1);
  });
});
