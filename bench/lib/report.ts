// The report: a line per measured round as it finishes; at the end a Markdown table per scenario, the ratios
// against their targets, the profiles' hottest functions, and the JSON results file.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import {
  failures,
  log,
  RESULTS_DIR,
  ROOT,
  type GatewayRound,
  type RoundResult,
  type Scenario,
} from './harness.ts';
import { fromDist, PLAN, smoke } from './options.ts';
import { byArea, hotSpots } from './profile.ts';
import { fmt, fmtSpread, spread } from './stats.ts';
import type { Ratio } from './targets.ts';

/**
 * Commands Lua scripts run on the server, not round trips from the service: the rate limiter's and the upstream
 * governor's (which sends no command outside its scripts).
 */
const SCRIPT_INTERNAL = new Set(['incr', 'pttl', 'pexpire', 'hget', 'hincrby', 'exists', 'set']);
function roundTrips(calls: Record<string, number> | null): number | null {
  if (!calls) return null;
  return Object.entries(calls).reduce((n, [cmd, c]) => (SCRIPT_INTERNAL.has(cmd) ? n : n + c), 0);
}

export function summary(rounds: readonly RoundResult[]) {
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

export function printRound(scenario: Scenario, label: string, r: RoundResult): void {
  log(
    `  ${scenario.id} ${label.padEnd(9)} ${fmt(r.requestsPerSecond).padStart(6)} req/s  p50 ${fmt(r.latencyMs.p50, 1)} ` +
      `p95 ${fmt(r.latencyMs.p95, 1)} p99 ${fmt(r.latencyMs.p99, 1)} ms  errors ${r.errors.total}` +
      `${r.errors.total ? ` ${JSON.stringify(r.statusCodes)} conn ${r.errors.connection} timeouts ${r.errors.timeouts}` : ''}` +
      `  rss ${fmt(r.peakRssBytes / 2 ** 20)} MB` +
      (r.cpuMsPerRequest !== null ? `  cpu ${fmt(r.cpuMsPerRequest, 3)} ms/req` : '') +
      (r.redisCallsPerRequest ? `  redis ${JSON.stringify(r.redisCallsPerRequest)} per req` : ''),
  );
}

export function printGatewayRound(scenario: Scenario, r: GatewayRound): void {
  log(
    `  ${scenario.id.padEnd(3)} open loop ${r.answered}/${r.offered} answered  p50 ${fmt(r.latencyMs.p50)} p90 ${fmt(r.latencyMs.p90)} ` +
      `p99 ${fmt(r.latencyMs.p99)} ms from scheduled start  errors ${JSON.stringify(r.errors)}  ` +
      `generator lag ≤ ${fmt(r.maxSendLagMs)} ms  rss ${fmt(r.peakRssBytes / 2 ** 20)} MB` +
      (r.cpuMsPerRequest !== null ? `  cpu ${fmt(r.cpuMsPerRequest, 3)} ms/req` : ''),
  );
}

function gatewayTable(rounds: readonly GatewayRound[]): string[] {
  const errors = (r: GatewayRound) => Object.values(r.errors).reduce((n, c) => n + c, 0);
  const lines = [
    '| run | answered / offered | errors | p50 ms | p90 ms | p99 ms | max ms | generator lag ms | peak RSS MB | server CPU ms/req |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rounds.map(
      (r, i) =>
        `| round ${i + 1} | ${r.answered} / ${r.offered} | ${errors(r)} | ${fmt(r.latencyMs.p50)} | ${fmt(r.latencyMs.p90)} | ` +
        `${fmt(r.latencyMs.p99)} | ${fmt(r.latencyMs.max)} | ${fmt(r.maxSendLagMs)} | ${fmt(r.peakRssBytes / 2 ** 20)} | ` +
        `${r.cpuMsPerRequest === null ? '–' : fmt(r.cpuMsPerRequest, 3)} |`,
    ),
  ];
  const s = (pick: (r: GatewayRound) => number, digits = 0) => fmtSpread(spread(rounds.map(pick)), digits);
  lines.push(
    `| **median (min–max)** | ${rounds.reduce((n, r) => n + r.answered, 0)} / ${rounds.reduce((n, r) => n + r.offered, 0)} | ` +
      `${rounds.reduce((n, r) => n + errors(r), 0)} | ${s((r) => r.latencyMs.p50)} | ${s((r) => r.latencyMs.p90)} | ` +
      `**${s((r) => r.latencyMs.p99)}** | ${s((r) => r.latencyMs.max)} | ${s((r) => r.maxSendLagMs)} | ` +
      `**${s((r) => r.peakRssBytes / 2 ** 20)}** | ${s((r) => r.cpuMsPerRequest ?? NaN, 3)} |`,
  );
  return lines;
}

/** A table per scenario (every round, then the median with min–max), then the ratios. */
export function markdown(
  scenarios: readonly Scenario[],
  ratios: readonly Ratio[],
  fixedRate: number | null,
): { md: string[]; table: Record<string, unknown> } {
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
    if (s.gateway.length) {
      md.push(...gatewayTable(s.gateway), '');
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
  return { md, table };
}

/** Self time by area and the hottest functions of each app server's --cpu-prof profile. */
export function printProfiles(): void {
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

/** bench/results keeps only JSON (gitignored); the Markdown report rides along in it. */
export function writeResults(run: {
  started: Date;
  fixedRate: number | null;
  scenarios: readonly Scenario[];
  table: Record<string, unknown>;
  ratios: readonly Ratio[];
  md: readonly string[];
}): void {
  const output = {
    mode: smoke ? 'smoke' : 'full',
    started: run.started.toISOString(),
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
    fixedRate: run.fixedRate,
    scenarios: run.scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      skipped: s.skipped ?? null,
      failed: s.failed ?? null,
      rounds: s.rounds,
      fixed: s.fixed,
      ...(s.gateway.length ? { gateway: s.gateway } : {}),
    })),
    summary: run.table,
    ratios: run.ratios.map((r) => ({ name: r.name, value: r.value, target: r.target, met: r.met })),
    failures,
  };
  const stamp = run.started.toISOString().replace(/[:.]/g, '-');
  const header =
    `Run ${output.started} (${output.mode}), Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ` +
    `load average at the end ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}, app code from ${output.appCode}/.`;
  const json = JSON.stringify({ ...output, report: `${header}\n\n${run.md.join('\n')}\n` }, null, 2);
  writeFileSync(join(RESULTS_DIR, `${output.mode}-${stamp}.json`), json);
  writeFileSync(join(RESULTS_DIR, `latest-${output.mode}.json`), json);
  log(`\nresults: bench/results/latest-${output.mode}.json (the Markdown above is its "report" field)`);
}
