import { performance } from 'node:perf_hooks';
import { loadVignettes } from '../eval/vignettes.ts';
import { DiagnosisService } from '../src/domain/diagnosis/diagnose.ts';
import { diagnoseFromFindings, scoredFor } from '../src/domain/knowledge-base/score.ts';
import { KnowledgeBaseProvider } from '../src/domain/providers/knowledge-base-provider.ts';
import { planInterview } from '../src/domain/interview/select.ts';
import { evaluateRedFlags } from '../src/domain/red-flags/evaluate.ts';
import type { DiagnoseRequest } from '../src/domain/schemas/diagnose.ts';
import { extractFindings, findingsFor } from '../src/domain/vocabulary/findings.ts';

// `node --import tsx bench/knowledge-base.ts`: in-process throughput and per-call latency of the
// knowledge base over the vignettes. Each request is a fresh object so the per-request findings
// cache never hides the matching cost.
const vignettes = loadVignettes();
const ROUNDS = Number(process.env.ROUNDS ?? 200);

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

/** Fresh copies of every request for one round, made outside the timed section. */
const round = () => vignettes.map((v) => structuredClone(v.request));

function measure(name: string, call: (request: DiagnoseRequest) => unknown): void {
  for (const request of [...round(), ...round(), ...round()]) call(request); // warm up the JIT
  const inputs = Array.from({ length: ROUNDS }, round);
  const samples: number[] = [];
  const started = performance.now();
  for (const requests of inputs) {
    for (const request of requests) {
      const t0 = performance.now();
      call(request);
      samples.push(performance.now() - t0);
    }
  }
  const elapsed = performance.now() - started;
  samples.sort((a, b) => a - b);
  const us = (ms: number) => `${(ms * 1000).toFixed(1)} µs`;
  console.log(
    `${name.padEnd(44)} ${Math.round((samples.length / elapsed) * 1000)
      .toLocaleString('en')
      .padStart(9)}/s  p50 ${us(percentile(samples, 0.5))}  p99 ${us(percentile(samples, 0.99))}`,
  );
}

console.log(`${vignettes.length} vignettes × ${ROUNDS} rounds, Node ${process.version}`);
measure('findings + knowledge base (diagnoseFromFindings)', (r) => diagnoseFromFindings(extractFindings(r)));
measure('findings + red-flag rules', (r) => evaluateRedFlags(r));
// One interview turn alone (findings and rules done beforehand): red-flag gaps and information gain.
{
  const prepared = new Map(
    round().map(
      (r) => [r, { findings: findingsFor(r), level: evaluateRedFlags(r).floor ?? 'self_care' }] as const,
    ),
  );
  const requests = [...prepared.keys()];
  // The provider has scored these findings already (memoised); keep that out of the timing.
  for (const { findings } of prepared.values()) scoredFor(findings);
  const samples: number[] = [];
  for (let i = 0; i < ROUNDS + 3; i++) {
    for (const r of requests) {
      const { findings, level } = prepared.get(r)!;
      const t0 = performance.now();
      planInterview(r, findings, level);
      if (i >= 3) samples.push(performance.now() - t0);
    }
  }
  samples.sort((a, b) => a - b);
  console.log(
    `${'interview selection, one turn (planInterview)'.padEnd(44)} p50 ${(percentile(samples, 0.5) * 1000).toFixed(1)} µs  p99 ${(percentile(samples, 0.99) * 1000).toFixed(1)} µs`,
  );
}

const service = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null });
const inputs = Array.from({ length: ROUNDS }, round);
const latencies: number[] = [];
const started = performance.now();
for (const requests of inputs) {
  for (const request of requests) {
    const t0 = performance.now();
    await service.diagnose(request);
    latencies.push(performance.now() - t0);
  }
}
const elapsed = performance.now() - started;
latencies.sort((a, b) => a - b);
console.log(
  `${'full pipeline (DiagnosisService, async)'.padEnd(44)} ${Math.round((latencies.length / elapsed) * 1000)
    .toLocaleString('en')
    .padStart(
      9,
    )}/s  p50 ${(percentile(latencies, 0.5) * 1000).toFixed(1)} µs  p99 ${(percentile(latencies, 0.99) * 1000).toFixed(1)} µs`,
);
