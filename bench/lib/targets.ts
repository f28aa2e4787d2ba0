// The targets, as ratios of medians measured in this run.
import type { GatewayRound, RoundResult, Scenario, ScenarioId } from './harness.ts';
import { spread } from './stats.ts';

export interface Ratio {
  name: string;
  value: number;
  target: string;
  /** null: informational, or not measured in this run. */
  met: boolean | null;
}

export function ratios(byId: (id: ScenarioId) => Scenario | undefined, fixedRate: number | null): Ratio[] {
  const median = (id: ScenarioId, pick: (r: RoundResult) => number, fixed = false) => {
    const s = byId(id);
    const rounds = fixed ? s?.fixed : s?.rounds;
    return rounds?.length ? spread(rounds.map(pick)).median : NaN;
  };
  const rps = (r: RoundResult) => r.requestsPerSecond;
  const gateway = (id: 's5' | 's5h', pick: (r: GatewayRound) => number) => {
    const rounds = byId(id)?.gateway;
    return rounds?.length ? spread(rounds.map(pick)).median : NaN;
  };
  const gatewayTotal = (pick: (r: GatewayRound) => number) =>
    byId('s5')?.gateway.reduce((n, r) => n + pick(r), 0) ?? NaN;
  const rssMB = (r: GatewayRound) => r.peakRssBytes / 2 ** 20;
  const allAnswered = gatewayTotal((r) => r.answered) === gatewayTotal((r) => r.offered);
  return [
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
      // Issue 15's model-path target: against the transport ceiling (node:http), not the fetch proxy.
      name: 's4 / s2h (node:http proxy) throughput',
      value: median('s4', rps) / median('s2h', rps),
      target: '≥ 0.50',
      met: (v: number) => v >= 0.5,
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
      name: 's5 gateway: answered / offered',
      value: gatewayTotal((r) => r.answered) / gatewayTotal((r) => r.offered),
      target: '= 1',
      met: (v: number) => v === 1,
    },
    {
      name: 's5 gateway: p99 from scheduled start (ms)',
      value: gateway('s5', (r) => r.latencyMs.p99),
      target: '≤ 1600',
      met: (v: number) => v <= 1600,
    },
    {
      name: 's5h bare proxy: p99 from scheduled start (ms)',
      value: gateway('s5h', (r) => r.latencyMs.p99),
      target: '(none)',
      met: null,
    },
    {
      name: 's5 / s5h peak RSS',
      value: gateway('s5', rssMB) / gateway('s5h', rssMB),
      target: '≤ 1.25 with every request answered',
      // An app that drops requests holds fewer of them: its memory meets nothing.
      met: (v: number) => v <= 1.25 && allAnswered,
    },
    {
      name: `added p99 at ${fixedRate ?? '?'} req/s: s4 − s2 (ms)`,
      value: median('s4', (r) => r.latencyMs.p99, true) - median('s2', (r) => r.latencyMs.p99, true),
      target: '< 5',
      met: (v: number) => v < 5,
    },
  ].map((r) => ({ ...r, met: r.met && Number.isFinite(r.value) ? r.met(r.value) : null }));
}
