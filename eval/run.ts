import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, formatReport } from './evaluate.ts';
import { loadVignettes } from './vignettes.ts';

// `npm run eval`: prints the report, writes eval/RESULTS.md, exits 1 when a target is missed.
const report = await evaluate(loadVignettes());
const markdown = formatReport(report);
console.log(markdown);
writeFileSync(join(import.meta.dirname, 'RESULTS.md'), markdown);
if (!report.meetsTargets) {
  console.error('Evaluation targets missed.');
  process.exitCode = 1;
}
