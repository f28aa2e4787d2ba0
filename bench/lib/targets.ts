// The targets, as ratios of medians measured in this run.
import { S5_DELAY_MS } from '../scenarios/s5-slow-model.ts';
import type { RoundResult, Scenario, ScenarioId } from './harness.ts';
import { PLAN } from './options.ts';
import { summary } from './report.ts';
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
  const s5 = byId('s5');
  const s5Summary = s5?.rounds.length ? summary(s5.rounds) : null;
  const ideal = PLAN.s5Connections / (S5_DELAY_MS / 1000);
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
}
