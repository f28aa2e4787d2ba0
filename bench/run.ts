// Benchmark harness: `npm run bench` (full: warm-up, 3 × 10 s rounds) or `npm run bench -- --smoke` (CI: every
// scenario once, briefly; exits non-zero if anything fails). Servers run in their own processes on loopback; the
// load generator (autocannon) runs here. Flags:
//   --smoke            short run that only checks that every scenario works
//   --profile          run the app servers under --cpu-prof and print their hottest functions
//   --only=s3,s4       run a subset (s1..s6; s2h, the proxy over node:http instead of fetch, runs only in full mode)
//   --src | --dist     run the app from src/ through tsx, or from dist/ (built first). Full mode defaults to dist.
//   --strict           exit non-zero when a target is missed (full mode)
//   --rounds=N --duration=S --connections=N   override the plan
//   --app-node-flags="…"  node flags for the app servers (default: the image's --max-old-space-size=256)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { DiagnoseResponse } from '../src/domain/schemas/diagnose.ts';
import { startRedisServer } from '../test/support/redis-server.ts';
import { startChild, type ChildServer } from './lib/child.ts';
import { BENCH_KEY, BENCH_SERVICE, DIAGNOSE_BODY, LEGACY_BODY } from './lib/fixtures.ts';
import { runLoad, type LoadResult } from './lib/load.ts';
import { RssSampler, processCpuSeconds } from './lib/memory.ts';
import { byArea, hotSpots } from './lib/profile.ts';
import { fmt, fmtSpread, spread } from './lib/stats.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const RESULTS_DIR = join(ROOT, 'bench', 'results');
const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    strict: { type: 'boolean', default: false },
    only: { type: 'string' },
    src: { type: 'boolean', default: false },
    dist: { type: 'boolean', default: false },
    rounds: { type: 'string' },
    duration: { type: 'string' },
    connections: { type: 'string' },
    'app-node-flags': { type: 'string' },
  },
});
const { smoke, profile, strict } = flags;
const only = flags.only?.split(',');
const fromDist = flags.dist || (!smoke && !flags.src);
/** The heap cap the Docker image sets in NODE_OPTIONS, so the app is measured as it is deployed. */
const IMAGE_NODE_FLAGS = ['--max-old-space-size=256'];
/** Node flags for the app servers (space-separated); default: the image's. */
const appNodeFlags = flags['app-node-flags']?.split(' ').filter(Boolean) ?? IMAGE_NODE_FLAGS;

const PLAN = smoke
  ? {
      warmupS: 1,
      rounds: 1,
      durationS: 2,
      connections: 20,
      fixedConnections: 10,
      fixedS: 2,
      s5Connections: 100,
      s5PerConnection: 2,
    }
  : {
      warmupS: 5,
      rounds: 3,
      durationS: 10,
      connections: 100,
      fixedConnections: 20,
      fixedS: 10,
      s5Connections: 1000,
      s5PerConnection: 10,
    };
const numberFlag = (name: 'rounds' | 'duration' | 'connections') => {
  const raw = flags[name];
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`--${name} expects a positive number, got "${raw}"`);
  return value;
};
PLAN.rounds = numberFlag('rounds') ?? PLAN.rounds;
PLAN.durationS = numberFlag('duration') ?? PLAN.durationS;
PLAN.fixedS = numberFlag('duration') ?? PLAN.fixedS;
PLAN.connections = numberFlag('connections') ?? PLAN.connections;
const S5_DELAY_MS = 1000;

type ScenarioId = 's1' | 's2' | 's2h' | 's3' | 's4' | 's5' | 's6';

interface Scenario {
  id: ScenarioId;
  title: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Server processes, app last (its pid is the one whose memory is reported). */
  servers: ChildServer[];
  /** Returns a problem, or null when the answer is what this scenario must return. */
  check: (status: number, body: unknown) => string | null;
  skipped?: string;
  failed?: string;
  rounds: RoundResult[];
  fixed: RoundResult[];
}

interface RoundResult extends LoadResult {
  peakRssBytes: number;
  /** CPU time of the server process (all its threads) per answered request, in ms: what capacity planning needs. */
  cpuMsPerRequest: number | null;
  /**
   * Redis commands per answered request, by command (app scenarios only). Commands a Lua script runs are counted
   * too (INCR/PTTL inside the rate limiter's EVALSHA), so round trips are the EVALSHA/EVAL count plus the others.
   */
  redisCallsPerRequest: Record<string, number> | null;
}

let redisProbe: Redis | null = null;
async function redisCommandStats(): Promise<Map<string, number> | null> {
  if (!redisProbe) return null;
  const info = await redisProbe.info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1] as string, Number(m[2]));
  return calls;
}

/** Commands Lua scripts run on the server, not round trips from the service. */
const SCRIPT_INTERNAL = new Set(['incr', 'pttl', 'pexpire']);
function roundTrips(calls: Record<string, number> | null): number | null {
  if (!calls) return null;
  return Object.entries(calls).reduce((n, [cmd, c]) => (SCRIPT_INTERNAL.has(cmd) ? n : n + c), 0);
}

const failures: string[] = [];
const cleanups: Array<() => Promise<unknown>> = [];
const work = mkdtempSync(join(tmpdir(), 'tenderly-bench-'));
const log = (line = '') => console.log(line);

async function start(
  name: string,
  script: string,
  env: Record<string, string> = {},
  app = false,
): Promise<ChildServer> {
  // One directory per server: tsx's loader thread writes a profile of its own next to the main thread's.
  const nodeFlags = [
    ...(app && profile ? ['--cpu-prof', `--cpu-prof-dir=${join(RESULTS_DIR, 'profiles', name)}`] : []),
    ...(app ? appNodeFlags : []),
  ];
  const server = await startChild(name, join(ROOT, 'bench', 'servers', script), {
    env: { ...env, ...(app && fromDist ? { BENCH_APP_DIST: '1' } : {}) },
    nodeFlags,
    logFile: join(work, `${name}.log`),
    timeoutMs: 60_000,
  });
  cleanups.push(() => server.stop());
  return server;
}

function appEnv(redisUrl: string, name: string, extra: Record<string, string>): Record<string, string> {
  return {
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    HOST: '127.0.0.1',
    PORT: '0',
    API_KEYS: `${BENCH_SERVICE}:${BENCH_KEY}`,
    REDIS_URL: redisUrl,
    // Far above what the benchmark sends, so the limiter runs (one Redis round trip per request) but never rejects.
    RATE_LIMIT_MAX: '1000000',
    AUTH_FAILURE_LIMIT: '1000000',
    AUDIT_LOG_PATH: join(work, `audit-${name}.jsonl`),
    DIAGNOSIS_FALLBACK: 'knowledge-base',
    ...extra,
  };
}

const authHeaders = { 'x-api-key': BENCH_KEY };
const legacyHeaders = { 'x-api-key': BENCH_KEY, 'x-service-name': BENCH_SERVICE };

function checkDiagnose(provider: 'openai' | 'knowledge-base') {
  return (status: number, body: unknown): string | null => {
    if (status !== 200) return `status ${status}: ${JSON.stringify(body).slice(0, 300)}`;
    const parsed = DiagnoseResponse.safeParse(body);
    if (!parsed.success)
      return `answer does not match the response schema: ${parsed.error.message.slice(0, 300)}`;
    if (parsed.data.engine.provider !== provider || parsed.data.engine.fallback)
      return `expected a ${provider} answer without fallback, got ${JSON.stringify(parsed.data.engine)}`;
    return null;
  };
}

async function request(scenario: Scenario): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${scenario.servers.at(-1)?.url}${scenario.path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...scenario.headers },
    body: scenario.body,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    /* keep the text */
  }
  return { status: res.status, body };
}

async function measure(
  scenario: Scenario,
  spec: { durationS?: number; connections: number; amount?: number; overallRate?: number },
): Promise<RoundResult> {
  const app = scenario.servers.at(-1) as ChildServer;
  const usesRedis = ['s3', 's4', 's5', 's6'].includes(scenario.id);
  const commandsBefore = usesRedis ? await redisCommandStats() : null;
  const rss = new RssSampler(app.pid).start();
  const cpuBefore = processCpuSeconds(app.pid);
  const result = await runLoad({
    url: `${app.url}${scenario.path}`,
    headers: scenario.headers,
    body: scenario.body,
    connections: spec.connections,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.durationS ?? PLAN.durationS }),
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
    timeout: scenario.id === 's5' ? 30 : 10,
  });
  const peakRssBytes = rss.stop();
  const cpuAfter = processCpuSeconds(app.pid);
  const cpuMsPerRequest =
    cpuBefore !== null && cpuAfter !== null && result.completed > 0
      ? ((cpuAfter - cpuBefore) * 1000) / result.completed
      : null;
  if (app.child.exitCode !== null) throw new Error(`${scenario.id}: the server exited during the run`);
  const commandsAfter = usesRedis ? await redisCommandStats() : null;
  let redisCallsPerRequest: Record<string, number> | null = null;
  if (commandsBefore && commandsAfter && result.completed > 0) {
    redisCallsPerRequest = {};
    for (const [cmd, calls] of commandsAfter) {
      // The harness's own INFO calls are not the service's.
      const delta = calls - (commandsBefore.get(cmd) ?? 0) - (cmd === 'info' ? 1 : 0);
      if (delta > 0) redisCallsPerRequest[cmd] = Math.round((1000 * delta) / result.completed) / 1000;
    }
  }
  return { ...result, peakRssBytes, cpuMsPerRequest, redisCallsPerRequest };
}

function summary(rounds: readonly RoundResult[]) {
  return {
    rps: spread(rounds.map((r) => r.requestsPerSecond)),
    p50: spread(rounds.map((r) => r.latencyMs.p50)),
    p95: spread(rounds.map((r) => r.latencyMs.p95)),
    p99: spread(rounds.map((r) => r.latencyMs.p99)),
    errors: rounds.reduce((n, r) => n + r.errors.total, 0),
    requests: rounds.reduce((n, r) => n + r.completed, 0),
    peakRssMB: spread(rounds.map((r) => r.peakRssBytes / 2 ** 20)),
    cpuMsPerRequest: spread(rounds.map((r) => r.cpuMsPerRequest ?? NaN)),
  };
}

function printRound(scenario: Scenario, label: string, r: RoundResult): void {
  log(
    `  ${scenario.id} ${label.padEnd(9)} ${fmt(r.requestsPerSecond).padStart(6)} req/s  p50 ${fmt(r.latencyMs.p50, 1)} ` +
      `p95 ${fmt(r.latencyMs.p95, 1)} p99 ${fmt(r.latencyMs.p99, 1)} ms  errors ${r.errors.total}` +
      `${r.errors.total ? ` ${JSON.stringify(r.statusCodes)} conn ${r.errors.connection} timeouts ${r.errors.timeouts}` : ''}` +
      `  rss ${fmt(r.peakRssBytes / 2 ** 20)} MB` +
      (r.cpuMsPerRequest !== null ? `  cpu ${fmt(r.cpuMsPerRequest, 3)} ms/req` : '') +
      (r.redisCallsPerRequest ? `  redis ${JSON.stringify(r.redisCallsPerRequest)} per req` : ''),
  );
}

async function noteErrors(scenario: Scenario, r: RoundResult): Promise<void> {
  if (r.errors.total === 0) return;
  failures.push(
    `${scenario.id}: ${r.errors.total} errors (${JSON.stringify(r.statusCodes)}, timeouts ${r.errors.timeouts})`,
  );
  // autocannon keeps no bodies: one request right after the round shows what the errors look like (when it fails too).
  const probe = await request(scenario).catch((error: Error) => ({ status: 0, body: error.message }));
  if (probe.status !== 200)
    log(`    after the round: ${probe.status} ${JSON.stringify(probe.body).slice(0, 200)}`);
}

async function main(): Promise<void> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const started = new Date();
  log(
    `Tenderly benchmark (${smoke ? 'smoke' : 'full'}) — Node ${process.version}, ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), load ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  log(`app code from ${fromDist ? 'dist/ (compiled)' : 'src/ (tsx)'}; work dir ${work}`);
  if (fromDist) {
    log('building (npm run build)…');
    try {
      execFileSync('npm', ['run', '--silent', 'build'], { cwd: ROOT, stdio: 'inherit' });
    } catch {
      if (!existsSync(join(ROOT, 'dist', 'app.js')))
        throw new Error('npm run build failed and dist/app.js is missing');
      log('  (tsc reported errors but emitted dist/; benchmarking the emitted code)');
    }
  }
  if (profile) rmSync(join(RESULTS_DIR, 'profiles'), { recursive: true, force: true });

  const wanted = (id: ScenarioId) => (only ? only.includes(id) : id !== 's2h' || !smoke);
  const redis = await startRedisServer();
  redisProbe = new Redis(redis.url, { maxRetriesPerRequest: 1 });
  cleanups.push(async () => redisProbe?.disconnect());
  cleanups.push(() => redis.stop());

  const scenarios: Scenario[] = [];
  const add = (s: Omit<Scenario, 'rounds' | 'fixed'>): Scenario => {
    const scenario: Scenario = { ...s, rounds: [], fixed: [] };
    scenarios.push(scenario);
    return scenario;
  };
  const diagnoseBody = JSON.stringify(DIAGNOSE_BODY);

  // s4 first: its answer sets the size of s1's body.
  const needS4 = wanted('s4') || wanted('s1');
  if (needS4) {
    const fake = await start('s4-fake', 'fake-openai.ts');
    const app = await start(
      's4-app',
      'app.ts',
      appEnv(redis.url, 's4', {
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.url,
      }),
      true,
    );
    add({
      id: 's4',
      title: '/v1/diagnose, OpenAI provider (fake answering at once), full pipeline',
      path: '/v1/diagnose',
      headers: authHeaders,
      body: diagnoseBody,
      servers: [fake, app],
      check: checkDiagnose('openai'),
    });
  }
  if (wanted('s2') || wanted('s4')) {
    const fake = await start('s2-fake', 'fake-openai.ts');
    const proxy = await start('s2-proxy', 'proxy.ts', { UPSTREAM_URL: fake.url });
    add({
      id: 's2',
      title: 'bare Fastify route forwarding to the fake model (keep-alive)',
      path: '/proxy',
      headers: {},
      body: diagnoseBody,
      servers: [fake, proxy],
      check: (status, body) =>
        status === 200 && Array.isArray((body as { choices?: unknown }).choices) ? null : `status ${status}`,
    });
  }
  if (wanted('s2h')) {
    // Informational: the same proxy over node:http with a keep-alive Agent, to show what fetch itself costs.
    const fake = await start('s2h-fake', 'fake-openai.ts');
    const proxy = await start('s2h-proxy', 'proxy.ts', { UPSTREAM_URL: fake.url, PROXY_CLIENT: 'http' });
    add({
      id: 's2h',
      title: 'as s2, but node:http keep-alive Agent instead of fetch (informational)',
      path: '/proxy',
      headers: {},
      body: diagnoseBody,
      servers: [fake, proxy],
      check: (status, body) =>
        status === 200 && Array.isArray((body as { choices?: unknown }).choices) ? null : `status ${status}`,
    });
  }
  if (wanted('s3') || wanted('s1')) {
    const app = await start(
      's3-app',
      'app.ts',
      appEnv(redis.url, 's3', { DIAGNOSIS_PROVIDER: 'knowledge-base' }),
      true,
    );
    add({
      id: 's3',
      title: '/v1/diagnose, knowledge-base provider, full pipeline',
      path: '/v1/diagnose',
      headers: authHeaders,
      body: diagnoseBody,
      servers: [app],
      check: checkDiagnose('knowledge-base'),
    });
  }
  if (wanted('s6')) {
    const fake = await start('s6-fake', 'fake-openai.ts');
    const app = await start(
      's6-app',
      'app.ts',
      appEnv(redis.url, 's6', {
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.url,
      }),
      true,
    );
    add({
      id: 's6',
      title: 'legacy call A, POST /api/v1/diagnosis/ (wrapped body), OpenAI provider, full pipeline',
      path: '/api/v1/diagnosis/',
      headers: legacyHeaders,
      body: JSON.stringify(LEGACY_BODY),
      servers: [fake, app],
      check: (status, body) => {
        if (status !== 200) return `status ${status}: ${JSON.stringify(body).slice(0, 300)}`;
        const b = body as { diagnosis?: unknown; confidence_score?: unknown };
        return typeof b.diagnosis === 'string' && b.diagnosis && typeof b.confidence_score === 'number'
          ? null
          : 'not a call A answer';
      },
    });
  }

  // Preflight: one request each, checked against what the scenario must answer.
  let answerFile: string | null = null;
  for (const scenario of scenarios) {
    const { status, body } = await request(scenario);
    const problem = scenario.check(status, body);
    // Every scenario must work: a missing route or provider is a failure, never a skip.
    if (problem) {
      scenario.failed = `preflight: ${problem}`;
      failures.push(`${scenario.id}: ${scenario.failed}`);
    } else if (!answerFile && (scenario.id === 's4' || scenario.id === 's3')) {
      answerFile = join(work, 'answer.json');
      writeFileSync(answerFile, JSON.stringify(body));
    }
  }
  if (wanted('s1')) {
    if (!answerFile) throw new Error('s1 needs a real /v1/diagnose answer (from s4 or s3) to size its body');
    const app = await start('s1-bare', 'framework.ts', { ANSWER_FILE: answerFile });
    const scenario = add({
      id: 's1',
      title: 'bare Fastify route, JSON answer the size of a diagnose answer',
      path: '/bare',
      headers: {},
      body: diagnoseBody,
      servers: [app],
      check: (status) => (status === 200 ? null : `status ${status}`),
    });
    const problem = scenario.check((await request(scenario)).status, null);
    if (problem) failures.push(`s1: preflight ${(scenario.failed = problem)}`);
    scenarios.unshift(scenarios.pop() as Scenario);
  }
  const byId = (id: ScenarioId) => scenarios.find((s) => s.id === id);
  const order: ScenarioId[] = ['s1', 's2', 's2h', 's3', 's4', 's6'];
  const active = order.map(byId).filter((s): s is Scenario => !!s && !s.skipped && !s.failed && wanted(s.id));
  for (const s of scenarios) if (s.skipped) log(`  ${s.id} SKIPPED: ${s.skipped}`);
  if (answerFile) log(`diagnose answer size ${statSync(answerFile).size} bytes (s1 returns the same)`);

  // Peak throughput, interleaved: round r of every scenario runs before round r+1 of any, so a noisy neighbour
  // slows all of them alike and the ratios stay meaningful.
  for (let round = 0; round < PLAN.rounds; round++) {
    log(`round ${round + 1}/${PLAN.rounds} (${PLAN.connections} connections, ${PLAN.durationS} s each)`);
    for (const scenario of active) {
      if (round === 0) await measure(scenario, { durationS: PLAN.warmupS, connections: PLAN.connections });
      const r = await measure(scenario, { connections: PLAN.connections });
      scenario.rounds.push(r);
      printRound(scenario, 'peak', r);
      await noteErrors(scenario, r);
    }
  }

  // Added latency at a fixed, moderate rate: half of s2's measured peak, for s2 and s4 alike.
  const s2 = byId('s2');
  const s4 = byId('s4');
  let fixedRate: number | null = null;
  if (s2?.rounds.length && s4?.rounds.length) {
    fixedRate = Math.max(10, Math.round(0.5 * spread(s2.rounds.map((r) => r.requestsPerSecond)).median));
    log(`fixed rate ${fixedRate} req/s (half of s2's median peak), ${PLAN.fixedConnections} connections`);
    for (let round = 0; round < PLAN.rounds; round++) {
      for (const scenario of [s2, s4]) {
        const r = await measure(scenario, {
          durationS: PLAN.fixedS,
          connections: PLAN.fixedConnections,
          overallRate: fixedRate,
        });
        scenario.fixed.push(r);
        printRound(scenario, 'fixed', r);
        await noteErrors(scenario, r);
      }
    }
  }
  for (const scenario of scenarios) await Promise.all(scenario.servers.map((s) => s.stop()));

  // s5: a slow upstream (1 s per answer) and many concurrent clients, on its own.
  if (wanted('s5')) {
    const fake = await start('s5-fake', 'fake-openai.ts', { FAKE_DELAY_MS: String(S5_DELAY_MS) });
    const app = await start(
      's5-app',
      'app.ts',
      appEnv(redis.url, 's5', {
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.url,
        OPENAI_TIMEOUT_MS: '30000',
        OPENAI_DEADLINE_MS: '60000',
      }),
      true,
    );
    const scenario = add({
      id: 's5',
      title: `slow upstream (${S5_DELAY_MS} ms), ${PLAN.s5Connections} concurrent connections`,
      path: '/v1/diagnose',
      headers: authHeaders,
      body: diagnoseBody,
      servers: [fake, app],
      check: checkDiagnose('openai'),
    });
    const { status, body } = await request(scenario);
    const problem = scenario.check(status, body);
    if (problem) failures.push(`s5: preflight ${(scenario.failed = problem)}`);
    else {
      log(
        `s5: ${PLAN.s5Connections} connections × ${PLAN.s5PerConnection} requests each (ideal ${PLAN.s5Connections / (S5_DELAY_MS / 1000)} req/s)`,
      );
      await measure(scenario, { connections: PLAN.s5Connections, amount: PLAN.s5Connections });
      for (let round = 0; round < PLAN.rounds; round++) {
        const r = await measure(scenario, {
          connections: PLAN.s5Connections,
          amount: PLAN.s5Connections * PLAN.s5PerConnection,
        });
        scenario.rounds.push(r);
        printRound(scenario, 'slow', r);
        await noteErrors(scenario, r);
      }
    }
    await Promise.all(scenario.servers.map((s) => s.stop()));
  }

  // Ratios and targets, from medians measured in this run.
  const median = (id: ScenarioId, pick: (r: RoundResult) => number, fixed = false) => {
    const s = byId(id);
    const rounds = fixed ? s?.fixed : s?.rounds;
    return rounds?.length ? spread(rounds.map(pick)).median : NaN;
  };
  const rps = (r: RoundResult) => r.requestsPerSecond;
  const s5 = byId('s5');
  const s5Summary = s5?.rounds.length ? summary(s5.rounds) : null;
  const ideal = PLAN.s5Connections / (S5_DELAY_MS / 1000);
  const ratios = [
    {
      name: 's3 / s1 throughput',
      value: median('s3', rps) / median('s1', rps),
      target: '≥ 0.30',
      met: (v: number) => v >= 0.3,
    },
    {
      name: 's4 / s2 throughput',
      value: median('s4', rps) / median('s2', rps),
      target: '≥ 0.70',
      met: (v: number) => v >= 0.7,
    },
    {
      name: 's2 (fetch) / s2h (node:http) throughput',
      value: median('s2', rps) / median('s2h', rps),
      target: '(none)',
      met: null,
    },
    { name: 's6 / s2 throughput', value: median('s6', rps) / median('s2', rps), target: '(none)', met: null },
    { name: 's6 / s4 throughput', value: median('s6', rps) / median('s4', rps), target: '(none)', met: null },
    {
      name: `s5 throughput / ideal (${ideal} req/s)`,
      value: median('s5', rps) / ideal,
      target: '≥ 0.90',
      met: (v: number) => v >= 0.9,
    },
    { name: 's5 errors', value: s5Summary?.errors ?? NaN, target: '= 0', met: (v: number) => v === 0 },
    {
      name: 's5 peak RSS (MB)',
      value: s5Summary?.peakRssMB.max ?? NaN,
      target: '< 300',
      met: (v: number) => v < 300,
    },
    {
      name: `added p99 at ${fixedRate ?? '?'} req/s: s4 − s2 (ms)`,
      value: median('s4', (r) => r.latencyMs.p99, true) - median('s2', (r) => r.latencyMs.p99, true),
      target: '< 5',
      met: (v: number) => v < 5,
    },
  ].map((r) => ({ ...r, met: r.met && Number.isFinite(r.value) ? r.met(r.value) : null }));

  // The report: a table per scenario (every round, then the median with min–max), then the ratios.
  const md: string[] = [];
  const roundRow = (label: string, r: RoundResult) =>
    `| ${label} | ${fmt(r.requestsPerSecond)} | ${fmt(r.latencyMs.p50, 1)} | ${fmt(r.latencyMs.p95, 1)} | ` +
    `${fmt(r.latencyMs.p99, 1)} | ${r.errors.total} / ${r.completed} | ${fmt(r.peakRssBytes / 2 ** 20)} | ` +
    `${r.cpuMsPerRequest === null ? '–' : fmt(r.cpuMsPerRequest, 3)} | ` +
    `${r.redisCallsPerRequest === null ? '–' : fmt(roundTrips(r.redisCallsPerRequest) ?? NaN, 2)} |`;
  const table: Record<string, unknown> = {};
  for (const s of [...scenarios].sort((a, b) => a.id.localeCompare(b.id))) {
    md.push(`#### ${s.id}: ${s.title}`, '');
    if (s.skipped || s.failed) {
      md.push(s.skipped ? `Skipped: ${s.skipped}.` : `FAILED: ${s.failed}`, '');
      continue;
    }
    md.push(
      '| run | req/s | p50 ms | p95 ms | p99 ms | errors / requests | peak RSS MB | server CPU ms/req | Redis round trips/req |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    );
    for (const [label, rounds] of [
      ['peak', s.rounds],
      [`at ${fixedRate} req/s`, s.fixed],
    ] as const) {
      if (!rounds.length) continue;
      rounds.forEach((r, i) => md.push(roundRow(`${label}, round ${i + 1}`, r)));
      const m = summary(rounds);
      table[`${s.id}${label === 'peak' ? '' : '-fixed'}`] = m;
      md.push(
        `| **${label}, median (min–max)** | **${fmtSpread(m.rps)}** | ${fmtSpread(m.p50, 1)} | ${fmtSpread(m.p95, 1)} | ` +
          `${fmtSpread(m.p99, 1)} | ${m.errors} / ${m.requests} | ${fmtSpread(m.peakRssMB)} | ` +
          `${fmtSpread(m.cpuMsPerRequest, 3)} | |`,
      );
    }
    md.push('');
  }
  md.push(
    '#### Ratios (medians of this run)',
    '',
    '| ratio | value | target | met |',
    '| --- | --- | --- | --- |',
  );
  for (const r of ratios)
    md.push(
      `| ${r.name} | ${fmt(r.value, 2)} | ${r.target} | ${r.met === null ? '–' : r.met ? 'yes' : '**no**'} |`,
    );
  log('');
  log(md.join('\n'));

  if (profile) {
    const root = join(RESULTS_DIR, 'profiles');
    for (const server of existsSync(root) ? readdirSync(root) : []) {
      // The main thread's profile is the biggest; the loader thread's is mostly idle.
      const files = readdirSync(join(root, server))
        .filter((f) => f.endsWith('.cpuprofile'))
        .map((f) => join(root, server, f))
        .sort((a, b) => statSync(b).size - statSync(a).size);
      const file = files[0];
      if (!file) continue;
      log(`\nprofile ${server} (${file.slice(ROOT.length + 1)}): self time by area`);
      for (const a of byArea(file).slice(0, 15)) log(`  ${a.selfPercent.toFixed(1).padStart(5)}%  ${a.area}`);
      log('hottest functions (self time)');
      for (const h of hotSpots(file, 30))
        log(`  ${h.selfPercent.toFixed(1).padStart(5)}%  ${h.fn}  ${h.where}`);
    }
  }

  const output = {
    mode: smoke ? 'smoke' : 'full',
    started: started.toISOString(),
    finished: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      totalMemMB: Math.round(totalmem() / 2 ** 20),
      loadavg: loadavg(),
    },
    appCode: fromDist ? 'dist' : 'src',
    plan: PLAN,
    fixedRate,
    scenarios: scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      skipped: s.skipped ?? null,
      failed: s.failed ?? null,
      rounds: s.rounds,
      fixed: s.fixed,
    })),
    summary: table,
    ratios: ratios.map((r) => ({ name: r.name, value: r.value, target: r.target, met: r.met })),
    failures,
  };
  const stamp = started.toISOString().replace(/[:.]/g, '-');
  const header =
    `Run ${output.started} (${output.mode}), Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ` +
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, app code from ${output.appCode}/.`;
  // bench/results keeps only JSON (gitignored); the Markdown report rides along in it.
  const json = JSON.stringify({ ...output, report: `${header}\n\n${md.join('\n')}\n` }, null, 2);
  writeFileSync(join(RESULTS_DIR, `${output.mode}-${stamp}.json`), json);
  writeFileSync(join(RESULTS_DIR, `latest-${output.mode}.json`), json);
  log(`\nresults: bench/results/latest-${output.mode}.json (the Markdown above is its "report" field)`);

  const missed = ratios
    .filter((r) => r.met === false)
    .map((r) => `target missed: ${r.name} = ${fmt(r.value, 2)} (${r.target})`);
  if (failures.length) {
    console.error(`\nFAILED:\n  ${failures.join('\n  ')}`);
    process.exitCode = 1;
  } else if (strict && missed.length) {
    console.error(`\n${missed.join('\n')}`);
    process.exitCode = 1;
  }
}

try {
  await main();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
} finally {
  await Promise.allSettled(cleanups.reverse().map((c) => c()));
  rmSync(work, { recursive: true, force: true, maxRetries: 5 });
}
