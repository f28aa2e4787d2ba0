// What every scenario shares: the servers it starts, the request it checks, one measured round, and the run's
// failures and clean-ups.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Redis } from 'ioredis';
import { DiagnoseResponse } from '../../src/domain/schemas/diagnose.ts';
import { startChild, type ChildServer } from './child.ts';
import { BENCH_KEY, BENCH_SERVICE } from './fixtures.ts';
import { runLoad, type LoadResult } from './load.ts';
import { RssSampler, processCpuSeconds } from './memory.ts';
import type { OpenLoopResult } from './open-loop.ts';
import { appNodeFlags, fromDist, PLAN, profile } from './options.ts';

export const ROOT = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const RESULTS_DIR = join(ROOT, 'bench', 'results');

export type ScenarioId = 's1' | 's2' | 's2h' | 's3' | 's4' | 's5' | 's5h' | 's6';

/** What a scenario module defines: its id, what it sends, what it must answer. */
export interface ScenarioSpec {
  id: ScenarioId;
  title: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  /** Returns a problem, or null when the answer is what this scenario must return. */
  check: (status: number, body: unknown) => string | null;
}

/** A scenario module: its spec and how to start its servers. */
export interface ScenarioDefinition extends ScenarioSpec {
  /** Started too when one of these is wanted (they need its answer or its ratio). */
  neededBy?: ScenarioId[];
  /** Starts the scenario's servers, app last. */
  startServers(context: { redisUrl: string; answerFile: string | null }): Promise<ChildServer[]>;
}

/** A scenario of this run: its spec, the servers started for it and what was measured. */
export interface Scenario extends ScenarioSpec {
  /** Server processes, app last (its pid is the one whose memory is reported). */
  servers: ChildServer[];
  skipped?: string;
  failed?: string;
  rounds: RoundResult[];
  fixed: RoundResult[];
  /** Open-loop rounds (the gateway scenario). */
  gateway: GatewayRound[];
}

/** One open-loop round: the generator's summary plus what the server process used. */
export interface GatewayRound extends Omit<OpenLoopResult, 'samples'> {
  peakRssBytes: number;
  cpuMsPerRequest: number | null;
}

export interface RoundResult extends LoadResult {
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
/** The Redis the app servers share; the harness reads its command counts around each round. */
export function useRedisProbe(probe: Redis): void {
  redisProbe = probe;
}
async function redisCommandStats(): Promise<Map<string, number> | null> {
  if (!redisProbe) return null;
  const info = await redisProbe.info('commandstats');
  const calls = new Map<string, number>();
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls.set(m[1] as string, Number(m[2]));
  return calls;
}

export const failures: string[] = [];
export const cleanups: Array<() => Promise<unknown>> = [];
export const work = mkdtempSync(join(tmpdir(), 'tenderly-bench-'));
export const log = (line = '') => console.log(line);

export async function start(
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

export function appEnv(
  redisUrl: string,
  name: string,
  extra: Record<string, string>,
): Record<string, string> {
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

export const authHeaders = { 'x-api-key': BENCH_KEY };
export const legacyHeaders = { 'x-api-key': BENCH_KEY, 'x-service-name': BENCH_SERVICE };

export function checkDiagnose(provider: 'openai' | 'knowledge-base') {
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

export async function request(scenario: Scenario): Promise<{ status: number; body: unknown }> {
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

export async function measure(
  scenario: Scenario,
  spec: { durationS?: number; connections: number; amount?: number; overallRate?: number },
): Promise<RoundResult> {
  const app = scenario.servers.at(-1) as ChildServer;
  const usesRedis = ['s3', 's4', 's6'].includes(scenario.id);
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

export async function noteErrors(scenario: Scenario, r: RoundResult): Promise<void> {
  if (r.errors.total === 0) return;
  failures.push(
    `${scenario.id}: ${r.errors.total} errors (${JSON.stringify(r.statusCodes)}, timeouts ${r.errors.timeouts})`,
  );
  // autocannon keeps no bodies: one request right after the round shows what the errors look like (when it fails too).
  const probe = await request(scenario).catch((error: Error) => ({ status: 0, body: error.message }));
  if (probe.status !== 200)
    log(`    after the round: ${probe.status} ${JSON.stringify(probe.body).slice(0, 200)}`);
}
