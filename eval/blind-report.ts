import { BLIND_TARGETS, meetsBlindTargets, type BlindMetrics, type BlindSet } from './blind.ts';
import type { VignetteResult } from './evaluate.ts';

export interface BlindResult {
  readonly set: BlindSet;
  readonly current: BlindMetrics;
  readonly results: readonly VignetteResult[];
  /** The file no longer matches the checksum recorded when it was frozen. */
  readonly edited: boolean;
  /** Metrics now worse than the recorded floor. */
  readonly worse: readonly string[];
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
    ...(blind.length === 0 ? ['No blind set is frozen yet.', ''] : blind.flatMap(setSection)),
  ].join('\n');
}
