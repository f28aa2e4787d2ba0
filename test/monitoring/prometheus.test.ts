import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import {
  PrometheusServer,
  RedisWithExporter,
  dashboardQueries,
  readProjectPrometheusConfig,
  renderLocalConfig,
  substituteGrafanaVariables,
} from '../support/prometheus-server.ts';
import { freePort } from '../support/ports.ts';

const RATE_LIMIT_MAX = 3;
const LONG = 180_000;

interface RunningApp {
  t: TestApp;
  /** host:port of its metrics listener, as Prometheus labels the target (instance). */
  instance: string;
  base: string;
  /** Responses seen by the client, by status class. */
  tally: Record<string, number>;
}

async function listeningApp(env: Record<string, string>): Promise<RunningApp> {
  const metricsPort = await freePort();
  const t = await startTestApp({ HOST: '127.0.0.1', METRICS_PORT: String(metricsPort), ...env });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { t, instance: `127.0.0.1:${metricsPort}`, base: `http://127.0.0.1:${port}`, tally: {} };
}

async function call(
  app: RunningApp,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<number> {
  const res = await fetch(`${app.base}${path}`, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  await res.arrayBuffer();
  const statusClass = `${Math.floor(res.status / 100)}xx`;
  app.tally[statusClass] = (app.tally[statusClass] ?? 0) + 1;
  return res.status;
}

describe('a real Prometheus scrapes the app with the project configuration', () => {
  let redis: RedisWithExporter;
  let fake: FakeOpenAI;
  let kb: RunningApp; // knowledge-base provider, low rate limit
  let failing: RunningApp; // OpenAI answering 500, knowledge-base fallback
  let prometheus: PrometheusServer;
  let fallbackStatus = 0;
  const kbStatuses: number[] = [];

  beforeAll(async () => {
    prometheus = await PrometheusServer.prepare();
    redis = await RedisWithExporter.start();
    fake = await new FakeOpenAI({ modes: ['error500'] }).start();
    kb = await listeningApp({ DIAGNOSIS_PROVIDER: 'knowledge-base', RATE_LIMIT_MAX: String(RATE_LIMIT_MAX) });
    failing = await listeningApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MAX_RETRIES: '1',
      DIAGNOSIS_FALLBACK: 'knowledge-base',
    });

    const targets = {
      interval: '1s',
      jobs: {
        'tenderly-app': [kb.instance, failing.instance],
        redis: [redis.exporterAddress],
        prometheus: [prometheus.address],
      },
    };
    await prometheus.writeConfig(renderLocalConfig(await readProjectPrometheusConfig(), targets));
    const check = prometheus.checkConfig();
    if (!check.ok) throw new Error(`promtool rejected the rendered config:\n${check.output}`);
    await prometheus.start();

    // Traffic on the knowledge-base app: 2xx, 4xx (400, 401, 404) and a 429 from the rate limit.
    const alpha = { 'x-api-key': TEST_KEYS.alpha };
    await call(kb, 'GET', '/health/live');
    await call(kb, 'GET', '/health/live');
    await call(kb, 'GET', '/health/ready');
    await call(kb, 'GET', '/no/such/route');
    await call(kb, 'POST', '/v1/diagnose', {}, SAMPLE_REQUEST);
    await call(kb, 'POST', '/v1/diagnose', alpha, { ...SAMPLE_REQUEST, patient: { age: 5 } });
    for (let i = 0; i < RATE_LIMIT_MAX + 5; i++) {
      const status = await call(kb, 'POST', '/v1/diagnose', { 'x-api-key': TEST_KEYS.beta }, SAMPLE_REQUEST);
      kbStatuses.push(status);
      if (status === 429) break;
    }
    // The failing app: two upstream_error attempts, then the knowledge base answers.
    fallbackStatus = await call(failing, 'POST', '/v1/diagnose', alpha, SAMPLE_REQUEST);
  }, LONG);

  afterAll(async () => {
    await prometheus?.stop();
    await kb?.t.app.close();
    await failing?.t.app.close();
    await fake?.stop();
    await redis?.stop();
  }, LONG);

  it('runs from the project prometheus.yml (rendered for local targets) with its alert rules loaded', async () => {
    const rules = await prometheus.rules();
    expect(rules.length).toBeGreaterThan(5);
  });

  it(
    'sees every target up: both app replicas, the redis exporter and itself',
    async () => {
      for (const app of [kb, failing]) {
        await prometheus.waitForValue(
          `up{job="tenderly-app",instance="${app.instance}"}`,
          (v) => v === 1,
          LONG,
        );
      }
      await prometheus.waitForValue('up{job="redis"}', (v) => v === 1, LONG);
      await prometheus.waitForValue('up{job="prometheus"}', (v) => v === 1, LONG);
      await prometheus.waitForValue('redis_up', (v) => v === 1, LONG);
      const targets = await prometheus.targets();
      expect(
        targets
          .filter((t) => t.labels.job === 'tenderly-app')
          .map((t) => t.scrapeUrl)
          .sort(),
      ).toEqual([kb, failing].map((a) => `http://${a.instance}/metrics`).sort());
    },
    LONG,
  );

  it(
    'counts requests per status class as the client saw them',
    async () => {
      expect(Object.keys(kb.tally).sort()).toEqual(expect.arrayContaining(['2xx', '4xx']));
      for (const [statusClass, count] of Object.entries(kb.tally)) {
        await prometheus.waitForValue(
          `sum(tenderly_http_request_duration_seconds_count{instance="${kb.instance}",status_class="${statusClass}"})`,
          (v) => v === count,
          LONG,
        );
      }
      await prometheus.waitForValue(
        `sum(tenderly_http_request_duration_seconds_count{instance="${kb.instance}",route="unmatched",status_class="4xx"})`,
        (v) => v === 1,
        LONG,
      );
      // The process metrics the alerts use are there too.
      await prometheus.waitForValue(
        `count(nodejs_eventloop_lag_p99_seconds{instance="${kb.instance}"})`,
        (v) => v === 1,
        LONG,
      );
      await prometheus.waitForValue(`count(tenderly_ready{job="tenderly-app"})`, (v) => v === 2, LONG);
    },
    LONG,
  );

  it(
    'counts a 429 from the rate limit in tenderly_rate_limit_rejections_total',
    async () => {
      expect(
        kbStatuses,
        `no 429 after ${kbStatuses.length} requests with RATE_LIMIT_MAX=${RATE_LIMIT_MAX}`,
      ).toContain(429);
      const rejected = kbStatuses.filter((s) => s === 429).length;
      await prometheus.waitForValue(
        `sum(tenderly_rate_limit_rejections_total{instance="${kb.instance}",principal="beta"})`,
        (v) => v === rejected,
        LONG,
      );
    },
    LONG,
  );

  it(
    'counts the upstream failures and the fallback of the failing replica',
    async () => {
      await prometheus.waitForValue(
        `sum(tenderly_upstream_attempts_total{instance="${failing.instance}",outcome="upstream_error"})`,
        (v) => v === 2,
        LONG,
      );
      expect(fallbackStatus, 'the knowledge-base fallback did not answer').toBe(200);
      await prometheus.waitForValue(
        `sum(tenderly_fallbacks_total{instance="${failing.instance}",reason="unavailable"})`,
        (v) => v === 1,
        LONG,
      );
      await prometheus.waitForValue(
        `sum(tenderly_diagnoses_total{instance="${failing.instance}",provider="knowledge-base",fallback="true"})`,
        (v) => v === 1,
        LONG,
      );
    },
    LONG,
  );

  it(
    'evaluates every alert rule without error',
    async () => {
      const rules = await vi.waitFor(
        async () => {
          const all = await prometheus.rules();
          if (all.length === 0 || all.some((r) => r.health === 'unknown'))
            throw new Error('not every rule has been evaluated yet');
          return all;
        },
        { timeout: LONG, interval: 1000 },
      );
      expect(
        rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError ?? r.health}`),
      ).toEqual([]);
    },
    LONG,
  );

  it(
    'runs every dashboard query as valid PromQL, with data for the traffic panels',
    async () => {
      const { queries } = await dashboardQueries();
      expect(queries.length).toBeGreaterThan(0);
      const failures: string[] = [];
      for (const q of queries) {
        try {
          await prometheus.query(substituteGrafanaVariables(q.expr));
        } catch (error) {
          failures.push(`${q.dashboard} / ${q.panel}: ${(error as Error).message}`);
        }
      }
      expect(failures).toEqual([]);
      await prometheus.waitForValue(
        'count(sum by (status_class) (rate(tenderly_http_request_duration_seconds_count[1m])) >= 0)',
        (v) => v >= 2,
        LONG,
      );
    },
    LONG,
  );
});
