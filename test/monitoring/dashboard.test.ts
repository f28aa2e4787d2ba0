import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import {
  MONITORING_DIR,
  RedisWithExporter,
  dashboardQueries,
  metricNames,
  metricReferences,
  parseExposition,
  type DashboardQuery,
  type MetricReference,
  type Sample,
} from '../support/prometheus-server.ts';

/** Series Prometheus makes itself for every target and rule, never exported by anyone. */
const PROMETHEUS_SYNTHETIC = new Set([
  'up',
  'scrape_duration_seconds',
  'scrape_samples_scraped',
  'scrape_samples_post_metric_relabeling',
  'scrape_series_added',
  'ALERTS',
  'ALERTS_FOR_STATE',
]);
/** Labels Prometheus attaches (target labels, external labels) or histogram/summary internals. */
const ATTACHED_LABELS = new Set(['job', 'instance', 'le', 'quantile', 'service', '__name__']);
/** Exported on purpose but not worth a panel. */
const NOT_CHARTED = new Set(['tenderly_build_info']);

interface Exporters {
  /** Family and sample names. */
  names: Set<string>;
  /** Family name → label names it may carry. */
  labels: Map<string, Set<string>>;
  /** Families that are histograms or summaries (so _bucket/_sum/_count exist). */
  histograms: Set<string>;
}

const SUFFIX = /_(bucket|sum|count)$/;

function family(exporters: Exporters, name: string): string | null {
  if (exporters.labels.has(name)) return name;
  const base = name.replace(SUFFIX, '');
  if (base !== name && exporters.histograms.has(base)) return base;
  return exporters.names.has(name) ? name : null;
}

/** Extracts `expr:` values (plain or block scalars) from a Prometheus rules file without a YAML library. */
function alertExpressions(yaml: string): Array<{ alert: string; expr: string }> {
  const out: Array<{ alert: string; expr: string }> = [];
  const lines = yaml.split('\n');
  let alert = '(record)';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const name = /^\s*-?\s*(?:alert|record):\s*(.+)$/.exec(line);
    if (name) alert = (name[1] as string).trim();
    const expr = /^(\s*)expr:\s*(.*)$/.exec(line);
    if (!expr) continue;
    const indent = (expr[1] as string).length;
    const value = (expr[2] as string).trim();
    if (value && !/^[|>][-+]?$/.test(value)) {
      out.push({ alert, expr: value.replace(/^'(.*)'$/, '$1').replace(/^"(.*)"$/, '$1') });
      continue;
    }
    const block: string[] = [];
    while (i + 1 < lines.length) {
      const next = lines[i + 1] as string;
      if (next.trim() && next.length - next.trimStart().length <= indent) break;
      block.push(next.trim());
      i++;
    }
    out.push({ alert, expr: block.join(' ').trim() });
  }
  return out;
}

describe('Grafana dashboards reference only metrics that exist', () => {
  let redis: RedisWithExporter;
  let fake: FakeOpenAI;
  let t: TestApp;
  let exporters: Exporters;
  let queries: DashboardQuery[];
  let files: string[];

  beforeAll(async () => {
    ({ files, queries } = await dashboardQueries());
    redis = await RedisWithExporter.start();
    fake = await new FakeOpenAI({ modes: ['valid'] }).start();
    t = await startTestApp({
      REDIS_URL: redis.redisUrl,
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MAX_RETRIES: '0',
      DIAGNOSIS_FALLBACK: 'knowledge-base',
      NODE_ENV: 'development',
    });
    // Traffic, so labelled series have samples: a good answer, an upstream failure (fallback), 4xx, 404.
    const diagnose = () =>
      t.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: { 'x-api-key': TEST_KEYS.alpha },
        payload: SAMPLE_REQUEST,
      });
    await diagnose();
    fake.setModes(['error500']);
    await diagnose();
    await t.app.inject({ method: 'POST', url: '/v1/diagnose', payload: SAMPLE_REQUEST });
    await t.app.inject({ method: 'GET', url: '/nope' });
    await t.app.inject({ method: 'GET', url: '/health/ready' });

    const appScrape = await t.app.inject({ method: 'GET', url: '/metrics' });
    expect(appScrape.statusCode).toBe(200);
    const exporterScrape = await redis.scrapeExporter();

    exporters = { names: new Set(), labels: new Map(), histograms: new Set() };
    for (const text of [appScrape.body, exporterScrape]) {
      for (const name of metricNames(text)) exporters.names.add(name);
      for (const m of text.matchAll(/^# TYPE (\S+) (histogram|summary)$/gm))
        exporters.histograms.add(m[1] as string);
      const samples: Sample[] = parseExposition(text);
      for (const s of samples) {
        const base = exporters.histograms.has(s.name.replace(SUFFIX, ''))
          ? s.name.replace(SUFFIX, '')
          : s.name;
        const set = exporters.labels.get(base) ?? new Set<string>();
        for (const label of Object.keys(s.labels)) set.add(label);
        exporters.labels.set(base, set);
      }
    }
    // Label names of the app's own metrics, also for series that have no sample yet.
    for (const metric of t.app.metrics.scrapeRegistry.getMetricsAsArray()) {
      const { name, labelNames } = metric as unknown as { name: string; labelNames?: string[] };
      const set = exporters.labels.get(name) ?? new Set<string>();
      for (const label of labelNames ?? []) set.add(label);
      exporters.labels.set(name, set);
    }
  });

  afterAll(async () => {
    await t?.app.close();
    await fake?.stop();
    await redis?.stop();
  });

  it('finds dashboards with PromQL panels', () => {
    expect(
      files.length,
      `no dashboard JSON in ${join(MONITORING_DIR, 'grafana', 'dashboards')}`,
    ).toBeGreaterThan(0);
    expect(queries.length).toBeGreaterThan(10);
    for (const q of queries)
      expect(metricReferences(q.expr).length, `${q.dashboard} / ${q.panel}: ${q.expr}`).toBeGreaterThan(0);
  });

  it('scrapes the app and the redis exporter for real', () => {
    expect(exporters.names.has('tenderly_http_request_duration_seconds')).toBe(true);
    expect(exporters.names.has('tenderly_redis_up')).toBe(true);
    expect(exporters.names.has('redis_up')).toBe(true);
    expect(exporters.names.has('nodejs_eventloop_lag_p99_seconds')).toBe(true);
  });

  it('the checker itself flags unknown metrics and labels', () => {
    const refs = metricReferences(
      'sum by (le, route) (rate(tenderly_http_request_duration_seconds_bucket{status="5xx"}[$__rate_interval])) / tenderly_nope_total',
    );
    expect(refs.map((r) => r.name)).toEqual([
      'tenderly_http_request_duration_seconds_bucket',
      'tenderly_nope_total',
    ]);
    expect(family(exporters, 'tenderly_http_request_duration_seconds_bucket')).toBe(
      'tenderly_http_request_duration_seconds',
    );
    expect(family(exporters, 'tenderly_nope_total')).toBeNull();
    expect(exporters.labels.get('tenderly_http_request_duration_seconds')?.has('status')).toBe(false);
    expect(exporters.labels.get('tenderly_http_request_duration_seconds')?.has('status_class')).toBe(true);
  });

  it('every metric a panel queries is exported by the app or the redis exporter', () => {
    const missing: string[] = [];
    for (const q of queries) {
      for (const ref of metricReferences(q.expr)) {
        if (!PROMETHEUS_SYNTHETIC.has(ref.name) && !family(exporters, ref.name)) {
          missing.push(`${q.dashboard} / ${q.panel}: ${ref.name}`);
        }
      }
    }
    expect(missing).toEqual([]);
  });

  it('every label a panel filters or groups by exists on its metrics', () => {
    const problems: string[] = [];
    for (const q of queries) {
      const refs: MetricReference[] = metricReferences(q.expr);
      const known = new Set<string>(ATTACHED_LABELS);
      for (const ref of refs)
        for (const l of exporters.labels.get(family(exporters, ref.name) ?? '') ?? []) known.add(l);
      for (const ref of refs) {
        for (const label of ref.labels)
          if (!known.has(label))
            problems.push(`${q.dashboard} / ${q.panel}: ${ref.name} has no label "${label}"`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('charts every tenderly_* metric the app exports', () => {
    const charted = new Set(
      queries.flatMap((q) => metricReferences(q.expr).map((r) => family(exporters, r.name))),
    );
    const exported = [...exporters.labels.keys()].filter(
      (n) => n.startsWith('tenderly_') && !NOT_CHARTED.has(n),
    );
    expect(exported.filter((n) => !charted.has(n))).toEqual([]);
  });

  it('every metric an alert rule uses exists too', async () => {
    const yaml = await readFile(join(MONITORING_DIR, 'alerts.yml'), 'utf8');
    const rules = alertExpressions(yaml);
    expect(rules.length).toBeGreaterThan(5);
    const missing: string[] = [];
    for (const rule of rules) {
      for (const ref of metricReferences(rule.expr)) {
        if (!PROMETHEUS_SYNTHETIC.has(ref.name) && !family(exporters, ref.name))
          missing.push(`${rule.alert}: ${ref.name}`);
      }
    }
    expect(missing).toEqual([]);
  });
});
