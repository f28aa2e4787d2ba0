import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { DiagnoseRequest } from '../src/domain/schemas/diagnose.ts';
import { TriageLevel, urgencyRank } from '../src/domain/triage.ts';

/**
 * A clinical vignette: a full request, the diagnosis a clinician following the cited guideline would
 * put first, and the range of acceptable triage levels, written as [least urgent, most urgent].
 */
export const Vignette = z
  .strictObject({
    id: z.string().min(1),
    source: z.string().min(3),
    gold: z.strictObject({ icd10: z.string(), condition: z.string() }),
    triage: z.tuple([TriageLevel, TriageLevel]),
    /** True when the least urgent acceptable level is an emergency one. */
    emergency: z.boolean(),
    request: DiagnoseRequest,
    /** Blind sets only: what kind of case the author meant it to be. */
    category: z.enum(['emergency', 'mimic', 'benign', 'routine']).optional(),
    /** Blind sets only: facts the patient would confirm or deny if asked (for the interview simulator). */
    hidden_facts: z
      .strictObject({ present: z.array(z.string().min(1)), absent: z.array(z.string().min(1)) })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (urgencyRank(v.triage[0]) > urgencyRank(v.triage[1])) {
      ctx.addIssue({
        code: 'custom',
        path: ['triage'],
        message: 'write the range as [least urgent, most urgent]',
      });
    }
    if (v.emergency !== urgencyRank(v.triage[0]) >= urgencyRank('emergency')) {
      ctx.addIssue({
        code: 'custom',
        path: ['emergency'],
        message: 'must be true exactly when the least urgent level is an emergency',
      });
    }
  });
export type Vignette = z.infer<typeof Vignette>;

export const VIGNETTE_DIR = join(import.meta.dirname, 'vignettes');

/** Loads and validates every vignette file; a malformed vignette is an error, not a skipped case. */
export function loadVignettes(dir: string = VIGNETTE_DIR): Vignette[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
  return loadVignetteFiles(files);
}

/** Loads and validates the given vignette files (ids unique across all of them). */
export function loadVignetteFiles(files: readonly string[]): Vignette[] {
  const vignettes: Vignette[] = [];
  const ids = new Set<string>();
  for (const file of files) {
    const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
    for (const [i, item] of z.array(z.unknown()).parse(raw).entries()) {
      const parsed = Vignette.safeParse(item);
      if (!parsed.success) throw new Error(`${basename(file)}[${i}]: ${z.prettifyError(parsed.error)}`);
      if (ids.has(parsed.data.id))
        throw new Error(`${basename(file)}[${i}]: duplicate vignette id ${parsed.data.id}`);
      ids.add(parsed.data.id);
      vignettes.push(parsed.data);
    }
  }
  return vignettes;
}
