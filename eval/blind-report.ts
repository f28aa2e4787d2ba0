import { BLIND_TARGETS, meetsBlindTargets, type BlindMetrics, type BlindSet } from './blind.ts';
import type { VignetteResult } from './evaluate.ts';
import type { InterviewSummary } from './interview.ts';

export interface BlindResult {
  readonly set: BlindSet;
  readonly current: BlindMetrics;
  readonly results: readonly VignetteResult[];
  /** The file no longer matches the checksum recorded when it was frozen. */
  readonly edited: boolean;
  /** Metrics now worse than the recorded floor. */
  readonly worse: readonly string[];
  /** Simulated-patient interview on the same set, when its cases carry hidden facts. */
  readonly interview: InterviewSummary | null;
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

const ROWS: readonly [keyof typeof BLIND_TARGETS | 'overTriage', string, string][] = [
  [
    'emergencySensitivity',
    'emergencies triaged emergency or above',
    `${pct(BLIND_TARGETS.emergencySensitivity)}`,
  ],
  ['top3', 'top-3 ICD-10', `≥ ${pct(BLIND_TARGETS.top3)}`],
  ['top1', 'top-1 ICD-10', `≥ ${pct(BLIND_TARGETS.top1)}`],
  ['benignOverTriage', 'benign cases over-triaged', `≤ ${pct(BLIND_TARGETS.benignOverTriage)}`],
  ['overTriage', 'all cases over-triaged', ''],
];

/** Every set's first look in the order written: each row is what a never-seen set showed that day. */
function firstLooks(blind: readonly BlindResult[]): string[] {
  return [
    '| set | first look on engine | emergencies | top-3 | top-1 | benign over-triaged | targets met |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...blind.map(({ set: { id, firstLook: f } }) => {
      const met = meetsBlindTargets(f) ? 'yes' : 'no';
      return `| ${id} | ${f.engine} (${f.date}) | ${pct(f.emergencySensitivity)} | ${pct(f.top3)} | ${pct(f.top1)} | ${pct(f.benignOverTriage)} | ${met} |`;
    }),
    `| target | | ${pct(BLIND_TARGETS.emergencySensitivity)} | ≥ ${pct(BLIND_TARGETS.top3)} | ≥ ${pct(BLIND_TARGETS.top1)} | ≤ ${pct(BLIND_TARGETS.benignOverTriage)} | |`,
    '',
  ];
}

function setSection(b: BlindResult): string[] {
  const { set, current } = b;
  const f = set.firstLook;
  return [
    `### ${set.id} (${f.n} cases: ${f.emergencies} emergencies, ${f.benign} benign)`,
    '',
    `Written: ${set.written}. First look ${f.date} on engine ${f.engine}; ` +
      `first-look targets met: ${meetsBlindTargets(f) ? 'yes' : 'no'}.` +
      (b.edited ? ' **The file changed after it was frozen.**' : ''),
    '',
    '| metric | first look | now | floor | target (never-seen set) |',
    '| --- | --- | --- | --- | --- |',
    ...ROWS.map(
      ([key, label, target]) =>
        `| ${label} | ${pct(f[key])} | ${pct(current[key])} | ${pct(set.floor[key])} | ${target} |`,
    ),
    '',
    ...interviewSection(b.interview),
    '| case | gold | rank | top 3 | triage | acceptable |',
    '| --- | --- | --- | --- | --- | --- |',
    ...b.results
      .filter((r) => r.rank !== 1 || !r.triageOk)
      .map(
        (r) =>
          `| ${r.id} | ${r.gold} | ${r.rank ?? '–'} | ${r.top.join(', ')} | ${r.triage}${r.underTriage ? ' (under)' : r.overTriage ? ' (over)' : ''} | ${r.expected.join(' … ')} |`,
      ),
    '',
  ];
}

function interviewSection(s: InterviewSummary | null): string[] {
  if (!s) return [];
  const points = (after: number, before: number) =>
    `${after >= before ? '+' : ''}${((after - before) * 100).toFixed(1)} points`;
  return [
    `Interview simulation (${s.n} simulated patients answering from the author's hidden facts, up to 5 turns; ` +
      `mean ${s.meanQuestions.toFixed(1)} questions asked):`,
    '',
    '| metric | first message only | after the interview | change | target |',
    '| --- | --- | --- | --- | --- |',
    `| top-1 ICD-10 | ${pct(s.before.top1)} | ${pct(s.after.top1)} | ${points(s.after.top1, s.before.top1)} | +10 points |`,
    `| top-3 ICD-10 | ${pct(s.before.top3)} | ${pct(s.after.top3)} | ${points(s.after.top3, s.before.top3)} | |`,
    `| emergencies triaged emergency or above | ${pct(s.before.emergencySensitivity)} | ${pct(s.after.emergencySensitivity)} | ${points(s.after.emergencySensitivity, s.before.emergencySensitivity)} | 100% |`,
    `| benign cases pushed to emergency by the questions | | ${s.benignPushedToEmergency.length} | | 0 |`,
    '',
  ];
}

/** The blind sets' section of eval/RESULTS.md: the headline measure. */
export function formatBlindReport(blind: readonly BlindResult[]): string {
  return [
    '# Blind evaluation (the headline measure)',
    '',
    'Each set was written by an author who had not read `src/` or any earlier vignette, scored once',
    'before any change was made for it (the first look), then frozen: the registry holds its checksum,',
    'and `npm test` fails if a set is edited or drops below its floor. The first look on a never-seen',
    'set is the figure that counts; "now" is the same frozen set scored by the current engine.',
    '',
    ...(blind.length === 0
      ? ['No blind set is frozen yet.', '']
      : [...firstLooks(blind), ...blind.flatMap(setSection)]),
  ].join('\n');
}
