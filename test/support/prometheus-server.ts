import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { vi } from 'vitest';
import { freePort } from './ports.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MONITORING_DIR = join(REPO_ROOT, 'monitoring');

// ---------------------------------------------------------------------------------------------
// Small helpers shared by the metrics and monitoring tests.

/** The binary, or an error that says how to get it: tests never skip silently for want of a tool. */
export function requireBinary(name: string, debianPackage: string): string {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  const path = found.stdout.trim();
  if (found.status !== 0 || !path) {
    throw new Error(
      `${name} is not installed: apt-get install -y ${debianPackage} (scripts/test.sh installs it)`,
    );
  }
  return path;
}

// ---------------------------------------------------------------------------------------------
// The Prometheus text format.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE_LINE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL_PAIR = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = SAMPLE_LINE.exec(line.trim());
    if (!match) throw new Error(`Unparseable exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(LABEL_PAIR)) {
      labels[pair[1] as string] = (pair[2] as string)
        .replace(/\\n/g, '\n')
        .replace(/\\"/g, '"')
        .replace(/\\\\/g, '\\');
    }
    samples.push({ name: match[1] as string, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Names of the metric families in an exposition (from # TYPE lines, plus any sample name). */
export function metricNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const type = /^# TYPE (\S+) /.exec(line);
    if (type) names.add(type[1] as string);
  }
  for (const s of parseExposition(text)) names.add(s.name);
  return names;
}

/** Sum of the samples named `name` whose labels include `labels`; undefined when none matches. */
export function sampleValue(
  samples: Sample[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const matching = samples.filter(
    (s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return matching.length ? matching.reduce((sum, s) => sum + s.value, 0) : undefined;
}

// ---------------------------------------------------------------------------------------------
// A real Prometheus, configured from monitoring/prometheus.yml with local targets.

export interface LocalTargets {
  /** job_name → host:port targets. A job of the project file missing here is dropped. */
  jobs: Record<string, string[]>;
  /** Scrape and evaluation interval for the run. */
  interval?: string;
}

/**
 * Rewrites the project's prometheus.yml for a run on 127.0.0.1: every job keeps its settings except service
 * discovery, replaced by static targets; intervals get short. Text surgery on the file's block layout
 * (no YAML library here); the result is checked with `promtool check config` by the caller.
 */
export function renderLocalConfig(projectText: string, targets: LocalTargets): string {
  const interval = targets.interval ?? '1s';
  const lines = projectText
    .replace(/^(\s*)scrape_interval:.*$/gm, `$1scrape_interval: ${interval}`)
    .replace(/^(\s*)evaluation_interval:.*$/gm, `$1evaluation_interval: ${interval}`)
    .replace(/^(\s*)scrape_timeout:.*$/gm, `$1scrape_timeout: ${interval}`)
    .split('\n');

  const out: string[] = [];
  let inScrapeConfigs = false;
  let job: { indent: number; name: string; lines: string[] } | null = null;
  const flushJob = () => {
    if (!job) return;
    const wanted = targets.jobs[job.name];
    if (wanted && wanted.length > 0) {
      const kept: string[] = [];
      const keyIndent = job.indent + 2;
      let skipping = false;
      for (const line of job.lines) {
        const indent = line.length - line.trimStart().length;
        if (line.trim() && indent <= keyIndent) skipping = false;
        if (line.trim() && indent === keyIndent && /^(\w+_sd_configs|static_configs):/.test(line.trim())) {
          skipping = true;
          continue;
        }
        if (!skipping) kept.push(line);
      }
      while (kept.length && !kept[kept.length - 1]?.trim()) kept.pop();
      const pad = ' '.repeat(keyIndent);
      kept.push(
        `${pad}static_configs:`,
        `${pad}  - targets: [${wanted.map((t) => `'${t}'`).join(', ')}]`,
        '',
      );
      out.push(...kept);
    }
    job = null;
  };

  for (const line of lines) {
    const trimmed = line.trimStart();
    const indent = line.length - trimmed.length;
    if (/^scrape_configs:/.test(line)) {
      inScrapeConfigs = true;
      out.push(line);
      continue;
    }
    if (inScrapeConfigs && trimmed && indent === 0 && !trimmed.startsWith('#')) {
      flushJob();
      inScrapeConfigs = false;
    }
    if (inScrapeConfigs) {
      const start = /^-\s+job_name:\s*['"]?([^'"\s]+)['"]?/.exec(trimmed);
      if (start) {
        flushJob();
        job = { indent, name: start[1] as string, lines: [line] };
        continue;
      }
      if (job) {
        job.lines.push(line);
        continue;
      }
    }
    out.push(line);
  }
  flushJob();
  return out.join('\n');
}

export interface PromVectorItem {
  metric: Record<string, string>;
  value: [number, string];
}

export class PrometheusServer {
  readonly port: number;
  readonly dir: string;
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  private output = '';

  private constructor(port: number, dir: string) {
    this.port = port;
    this.dir = dir;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** What Prometheus printed: the place to look when a test fails. */
  get logs(): string {
    return this.output;
  }

  /** A port and a scratch directory; the config is written by `start`. */
  static async prepare(): Promise<PrometheusServer> {
    requireBinary('prometheus', 'prometheus');
    return new PrometheusServer(await freePort(), await mkdtemp(join(tmpdir(), 'tenderly-prometheus-')));
  }

  /** Writes the config (and the project's alert rules next to it, as the deployment does) and checks it. */
  async writeConfig(configText: string): Promise<string> {
    const file = join(this.dir, 'prometheus.yml');
    await writeFile(file, configText);
    await copyFile(join(MONITORING_DIR, 'alerts.yml'), join(this.dir, 'alerts.yml'));
    return file;
  }

  /** `promtool check config`: exit status and output. */
  checkConfig(): { ok: boolean; output: string } {
    const promtool = requireBinary('promtool', 'prometheus');
    const result = spawnSync(promtool, ['check', 'config', join(this.dir, 'prometheus.yml')], {
      encoding: 'utf8',
    });
    return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
  }

  async start(): Promise<void> {
    const child = spawn(
      'prometheus',
      [
        `--config.file=${join(this.dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${join(this.dir, 'data')}`,
        `--web.listen-address=${this.address}`,
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child = child;
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.exited = new Promise((r) => child.once('exit', () => r()));
    let exitedEarly = false;
    void this.exited.then(() => {
      exitedEarly = true;
    });
    await vi
      .waitFor(
        async () => {
          if (exitedEarly) throw new Error(`prometheus exited:\n${this.output}`);
          const res = await fetch(`${this.url}/-/ready`);
          if (!res.ok) throw new Error(`Prometheus is not ready (${res.status})`);
        },
        { timeout: 60_000, interval: 250 },
      )
      .catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n--- prometheus output ---\n${this.output}`);
      });
  }

  async query(expr: string): Promise<PromVectorItem[]> {
    const res = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(expr)}`);
    const body = (await res.json()) as {
      status: string;
      error?: string;
      data?: { resultType: string; result: PromVectorItem[] };
    };
    if (body.status !== 'success' || !body.data)
      throw new Error(`query ${expr} failed: ${body.error ?? res.status}`);
    if (body.data.resultType !== 'vector')
      throw new Error(`query ${expr} returned ${body.data.resultType}, not a vector`);
    return body.data.result;
  }

  /** The single value of an instant query, or undefined when the vector is empty. */
  async value(expr: string): Promise<number | undefined> {
    const result = await this.query(expr);
    if (result.length === 0) return undefined;
    if (result.length > 1) throw new Error(`query ${expr} returned ${result.length} series; aggregate it`);
    return Number((result[0] as PromVectorItem).value[1]);
  }

  /** Polls an instant query until its value satisfies `accept`; returns that value. */
  async waitForValue(expr: string, accept: (v: number) => boolean, timeoutMs = 90_000): Promise<number> {
    let last: number | undefined;
    try {
      return await vi.waitFor(
        async () => {
          last = await this.value(expr);
          if (last === undefined || !accept(last))
            throw new Error(`${expr} does not satisfy ${accept.toString()}`);
          return last;
        },
        { timeout: timeoutMs, interval: 500 },
      );
    } catch (error) {
      throw new Error(
        `${(error as Error).message} (last value: ${String(last)})\n--- prometheus output ---\n${this.output}`,
      );
    }
  }

  async targets(): Promise<
    Array<{ labels: Record<string, string>; health: string; lastError: string; scrapeUrl: string }>
  > {
    const res = await fetch(`${this.url}/api/v1/targets?state=active`);
    const body = (await res.json()) as {
      data: {
        activeTargets: Array<{
          labels: Record<string, string>;
          health: string;
          lastError: string;
          scrapeUrl: string;
        }>;
      };
    };
    return body.data.activeTargets;
  }

  async rules(): Promise<Array<{ name: string; health: string; lastError?: string }>> {
    const res = await fetch(`${this.url}/api/v1/rules`);
    const body = (await res.json()) as {
      data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string }> }> };
    };
    return body.data.groups.flatMap((g) => g.rules);
  }

  async stop(): Promise<void> {
    await stopChild(this.child, this.exited);
    this.child = null;
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function stopChild(child: ChildProcess | null, exited: Promise<void> | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const killed = await Promise.race([exited?.then(() => true), sleep(15_000).then(() => false)]);
  if (!killed) {
    child.kill('SIGKILL');
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------
// Redis and its exporter, for the redis job and the dashboard's redis_* panels.

export class RedisWithExporter {
  private constructor(
    private readonly redis: RedisServer,
    readonly exporterAddress: string,
    private readonly exporter: ChildProcess,
    private readonly exporterExited: Promise<void>,
  ) {}

  get redisUrl(): string {
    return this.redis.url;
  }

  static async start(): Promise<RedisWithExporter> {
    requireBinary('redis-server', 'redis-server');
    const exporterBinary = requireBinary('prometheus-redis-exporter', 'prometheus-redis-exporter');
    const redis = await startRedisServer();
    const address = `127.0.0.1:${await freePort()}`;
    const exporter = spawn(exporterBinary, [`-redis.addr=${redis.url}`, `-web.listen-address=${address}`], {
      stdio: 'ignore',
    });
    const self = new RedisWithExporter(
      redis,
      address,
      exporter,
      new Promise((r) => exporter.once('exit', () => r())),
    );
    try {
      await vi.waitFor(
        async () => {
          const res = await fetch(`http://${address}/metrics`);
          if (!res.ok || !/^redis_up 1$/m.test(await res.text()))
            throw new Error('the redis exporter does not see Redis (redis_up 1)');
        },
        { timeout: 60_000, interval: 250 },
      );
    } catch (error) {
      await self.stop();
      throw error;
    }
    return self;
  }

  async scrapeExporter(): Promise<string> {
    const res = await fetch(`http://${this.exporterAddress}/metrics`);
    return res.text();
  }

  async stop(): Promise<void> {
    await stopChild(this.exporter, this.exporterExited);
    await this.redis.stop();
  }
}

/** The project's own monitoring/prometheus.yml: the tests render it for local ports, never a stand-in. */
export function readProjectPrometheusConfig(): Promise<string> {
  return readFile(join(MONITORING_DIR, 'prometheus.yml'), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Grafana dashboards: their PromQL and the metric names it references.

export const DASHBOARDS_DIR = join(MONITORING_DIR, 'grafana', 'dashboards');

export interface DashboardQuery {
  dashboard: string;
  panel: string;
  expr: string;
}

interface PanelLike {
  title?: string;
  panels?: PanelLike[];
  targets?: Array<{ expr?: unknown; hide?: boolean }>;
}

/** Every PromQL expression in the dashboards: panel targets (rows and nested panels included) and template variables. */
export async function dashboardQueries(): Promise<{ files: string[]; queries: DashboardQuery[] }> {
  const { readdir } = await import('node:fs/promises');
  const files = (await readdir(DASHBOARDS_DIR)).filter((f) => f.endsWith('.json')).sort();
  const queries: DashboardQuery[] = [];
  for (const file of files) {
    const json = JSON.parse(await readFile(join(DASHBOARDS_DIR, file), 'utf8')) as {
      panels?: PanelLike[];
      rows?: PanelLike[];
      templating?: { list?: Array<{ name?: string; type?: string; query?: unknown; definition?: unknown }> };
    };
    const walk = (panels: PanelLike[] | undefined): void => {
      for (const panel of panels ?? []) {
        for (const target of panel.targets ?? []) {
          if (typeof target.expr === 'string' && target.expr.trim()) {
            queries.push({ dashboard: file, panel: panel.title ?? '(untitled)', expr: target.expr });
          }
        }
        walk(panel.panels);
      }
    };
    walk(json.panels);
    walk(json.rows);
    for (const variable of json.templating?.list ?? []) {
      if (variable.type !== 'query') continue;
      const raw =
        typeof variable.query === 'string'
          ? variable.query
          : (variable.query as { query?: unknown } | null)?.query;
      if (typeof raw !== 'string') continue;
      // label_values(metric{…}, label) and query_result(expr) are Grafana wrappers around PromQL.
      const inner = /^\s*(?:label_values|query_result)\s*\((.*)\)\s*$/s.exec(raw);
      const expr = inner ? (inner[1] as string).replace(/,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*$/, '') : raw;
      if (expr.trim() && !/^\s*(label_names|metrics)\s*\(/.test(raw)) {
        queries.push({ dashboard: file, panel: `variable ${variable.name ?? ''}`, expr });
      }
    }
  }
  return { files, queries };
}

/** Grafana's variables replaced by values Prometheus accepts, for running a dashboard query as is. */
export function substituteGrafanaVariables(expr: string): string {
  return expr
    .replace(/\[\s*\$\{?[a-zA-Z_][a-zA-Z0-9_]*(?::[a-z]+)?\}?\s*\]/g, '[1m]')
    .replace(/\$\{?__(?:rate_interval|interval|range)(?:_ms|_s)?\}?/g, '1m')
    .replace(/\$\{[^}]+\}|\[\[[^\]]+\]\]|\$[a-zA-Z_][a-zA-Z0-9_]*/g, '.+');
}

const PROMQL_KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'bool',
  'and',
  'or',
  'unless',
  'offset',
  'inf',
  'nan',
  'atan2',
  'start',
  'end',
]);

export interface MetricReference {
  name: string;
  /** Label names used in matchers and in by/without/on/ignoring clauses next to it. */
  labels: string[];
}

/**
 * Metric names referenced by a PromQL expression: identifiers that are not functions (followed by "("),
 * keywords, label names in grouping clauses, or inside strings, label matchers or range selectors.
 */
export function metricReferences(expr: string): MetricReference[] {
  let text = substituteGrafanaVariables(expr);
  text = text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, '""');
  const refs: MetricReference[] = [];
  // Grouping clauses: their contents are label names, kept for the label check of every metric in the expression.
  const groupingLabels: string[] = [];
  text = text.replace(
    /\b(by|without|on|ignoring|group_left|group_right)\s*\(([^)]*)\)/g,
    (_m, _kw: string, labels: string) => {
      groupingLabels.push(
        ...labels
          .split(',')
          .map((l) => l.trim())
          .filter(Boolean),
      );
      return ' ';
    },
  );
  text = text.replace(/\[[^\]]*\]/g, ' ');
  const token = /([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\{[^}]*\})?\s*(\()?/g;
  for (const match of text.matchAll(token)) {
    const [, name, matchers, call] = match as unknown as [
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    if (call || PROMQL_KEYWORDS.has(name.toLowerCase())) continue;
    const start = match.index ?? 0;
    if (start > 0 && /[0-9.]/.test(text[start - 1] as string)) continue; // the "e" of 1e3 and the like
    const labels = [...(matchers ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)/g)].map(
      (m) => m[1] as string,
    );
    refs.push({ name, labels: [...labels, ...groupingLabels] });
  }
  // A bare {__name__="x"} selector.
  for (const m of expr.matchAll(/__name__\s*=\s*"([a-zA-Z_:][a-zA-Z0-9_:]*)"/g))
    refs.push({ name: m[1] as string, labels: [] });
  return refs;
}
