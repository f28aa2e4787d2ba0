import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  belowFloor,
  blindMetrics,
  loadBlindSet,
  loadRegistry,
  saveRegistry,
  sha256,
  BLIND_DIR,
} from './blind.ts';
import { formatBlindReport, type BlindResult } from './blind-report.ts';
import { evaluate, formatReport } from './evaluate.ts';
import { simulateSet } from './interview.ts';
import { loadVignettes } from './vignettes.ts';

// `npm run eval`: scores the frozen blind sets and the authored vignettes, prints the report, writes
// eval/RESULTS.md, and exits 1 when an authored target is missed, a blind set was edited, or a blind
// set dropped below its floor. `--raise-floors` records today's better scores as the new floors.
const { values } = parseArgs({ options: { 'raise-floors': { type: 'boolean', default: false } } });

const sets = loadRegistry();
const blind: BlindResult[] = [];
for (const set of sets) {
  const vignettes = loadBlindSet(set);
  const { results } = await evaluate(vignettes);
  const current = blindMetrics(vignettes, results);
  const edited = sha256(join(BLIND_DIR, set.file)) !== set.sha256;
  const interview = vignettes.some((v) => v.hidden_facts) ? await simulateSet(vignettes) : null;
  blind.push({ set, current, results, edited, worse: belowFloor(current, set.floor), interview });
}
if (values['raise-floors']) {
  saveRegistry(
    blind.map(({ set, current, edited, worse }) =>
      edited || worse.length > 0 ? set : { ...set, floor: current },
    ),
  );
}

const report = await evaluate(loadVignettes());
const markdown = `${formatBlindReport(blind)}\n${formatReport(report)}`;
console.log(markdown);
writeFileSync(join(import.meta.dirname, 'RESULTS.md'), markdown);
const failures = [
  ...(report.meetsTargets ? [] : ['authored vignettes: targets missed']),
  ...blind.filter((b) => b.edited).map((b) => `${b.set.id}: file changed after it was frozen`),
  ...blind
    .filter((b) => b.worse.length > 0)
    .map((b) => `${b.set.id}: below its floor on ${b.worse.join(', ')}`),
];
if (failures.length > 0) {
  console.error(failures.join('\n'));
  process.exitCode = 1;
}
