import { DiagnosisService } from '../src/domain/diagnosis/diagnose.ts';
import { KnowledgeBaseProvider } from '../src/domain/providers/knowledge-base-provider.ts';
import { isEmergency, urgencyRank, type TriageLevel } from '../src/domain/triage.ts';
import type { Vignette } from './vignettes.ts';

/** Targets the evaluation must meet (issue 4). */
export const TARGETS = { top1: 0.65, top3: 0.85, emergencyUnderTriage: 0 } as const;

export interface VignetteResult {
  readonly id: string;
  readonly gold: string;
  readonly goldCondition: string;
  readonly emergency: boolean;
  readonly expected: readonly [TriageLevel, TriageLevel];
  readonly triage: TriageLevel;
  /** 1-based rank of the gold code in the differential; null when absent. */
  readonly rank: number | null;
  readonly top: readonly string[];
  readonly redFlags: readonly string[];
  readonly triageOk: boolean;
  readonly underTriage: boolean;
  readonly overTriage: boolean;
}

export interface Tally {
  readonly n: number;
  readonly top1: number;
  readonly top3: number;
  readonly triageOk: number;
  readonly underTriage: number;
  readonly overTriage: number;
}

export interface EvaluationReport {
  readonly results: readonly VignetteResult[];
  readonly overall: Tally;
  readonly byCondition: ReadonlyMap<string, Tally & { readonly condition: string }>;
  readonly emergencies: number;
  /** Emergency vignettes triaged below `emergency`. */
  readonly emergencyUnderTriage: number;
  readonly meetsTargets: boolean;
}

function tally(results: readonly VignetteResult[]): Tally {
  const count = (f: (r: VignetteResult) => boolean) => results.filter(f).length;
  return {
    n: results.length,
    top1: count((r) => r.rank === 1),
    top3: count((r) => r.rank !== null && r.rank <= 3),
    triageOk: count((r) => r.triageOk),
    underTriage: count((r) => r.underTriage),
    overTriage: count((r) => r.overTriage),
  };
}

export function rate(part: number, n: number): number {
  return n === 0 ? 0 : part / n;
}

/**
 * Runs every vignette through the full pipeline (red-flag rules, knowledge base, safety merge)
 * and scores diagnosis ranking and triage. Pure apart from the service it is given.
 */
export async function evaluate(
  vignettes: readonly Vignette[],
  service: DiagnosisService = new DiagnosisService({ primary: new KnowledgeBaseProvider(), fallback: null }),
): Promise<EvaluationReport> {
  const results: VignetteResult[] = [];
  for (const v of vignettes) {
    const { response } = await service.diagnose(v.request);
    const codes = response.differential.map((d) => d.icd10);
    const index = codes.indexOf(v.gold.icd10);
    const level = response.triage.level;
    const [least, most] = v.triage;
    const under = urgencyRank(level) < urgencyRank(least);
    const over = urgencyRank(level) > urgencyRank(most);
    results.push({
      id: v.id,
      gold: v.gold.icd10,
      goldCondition: v.gold.condition,
      emergency: v.emergency,
      expected: v.triage,
      triage: level,
      rank: index < 0 ? null : index + 1,
      top: codes.slice(0, 3),
      redFlags: response.triage.red_flags.map((r) => r.id),
      triageOk: !under && !over,
      underTriage: under,
      overTriage: over,
    });
  }
  const byCode = new Map<string, VignetteResult[]>();
  for (const r of results) byCode.set(r.gold, [...(byCode.get(r.gold) ?? []), r]);
  const byCondition = new Map(
    [...byCode].map(([code, rs]) => [code, { ...tally(rs), condition: rs[0]!.goldCondition }] as const),
  );
  const overall = tally(results);
  const emergencyResults = results.filter((r) => r.emergency);
  const emergencyUnderTriage = emergencyResults.filter((r) => !isEmergency(r.triage)).length;
  const meetsTargets =
    emergencyUnderTriage <= TARGETS.emergencyUnderTriage &&
    rate(overall.top3, overall.n) >= TARGETS.top3 &&
    rate(overall.top1, overall.n) >= TARGETS.top1;
  return {
    results,
    overall,
    byCondition,
    emergencies: emergencyResults.length,
    emergencyUnderTriage,
    meetsTargets,
  };
}

const pct = (part: number, n: number) => `${(rate(part, n) * 100).toFixed(1)}%`;

/** The report as Markdown, for eval/RESULTS.md and the console. */
export function formatReport(report: EvaluationReport): string {
  const o = report.overall;
  const lines = [
    '# Knowledge-base evaluation',
    '',
    `Vignettes: ${o.n} (${report.emergencies} emergencies), run through red-flag rules + knowledge base + safety merge.`,
    '',
    '| metric | value | target |',
    '| --- | --- | --- |',
    `| top-1 accuracy | ${pct(o.top1, o.n)} (${o.top1}/${o.n}) | ≥ ${TARGETS.top1 * 100}% |`,
    `| top-3 accuracy | ${pct(o.top3, o.n)} (${o.top3}/${o.n}) | ≥ ${TARGETS.top3 * 100}% |`,
    `| triage within acceptable range | ${pct(o.triageOk, o.n)} (${o.triageOk}/${o.n}) | |`,
    `| emergency under-triage | ${report.emergencyUnderTriage}/${report.emergencies} | 0 |`,
    `| under-triage (any) | ${o.underTriage}/${o.n} | |`,
    `| over-triage | ${o.overTriage}/${o.n} | |`,
    '',
    `Targets met: ${report.meetsTargets ? 'yes' : 'NO'}`,
    '',
    '## Per condition',
    '',
    '| condition | ICD-10 | n | top-1 | top-3 | triage ok | under | over |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...[...report.byCondition]
      .sort((a, b) => a[1].condition.localeCompare(b[1].condition))
      .map(
        ([code, t]) =>
          `| ${t.condition} | ${code} | ${t.n} | ${t.top1} | ${t.top3} | ${t.triageOk} | ${t.underTriage} | ${t.overTriage} |`,
      ),
    '',
    '## Misses',
    '',
    '| vignette | gold | rank | top 3 | triage | expected |',
    '| --- | --- | --- | --- | --- | --- |',
    ...report.results
      .filter((r) => r.rank !== 1 || !r.triageOk)
      .map(
        (r) =>
          `| ${r.id} | ${r.gold} | ${r.rank ?? '–'} | ${r.top.join(', ')} | ${r.triage}${r.underTriage ? ' (under)' : r.overTriage ? ' (over)' : ''} | ${r.expected.join(' … ')} |`,
      ),
    '',
  ];
  return lines.join('\n');
}
