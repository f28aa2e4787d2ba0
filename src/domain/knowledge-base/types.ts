import type { Investigation } from '../schemas/diagnose.ts';
import type { TriageLevel } from '../triage.ts';
import type { FindingId } from '../vocabulary/findings.ts';

export type Weights = Partial<Record<FindingId, number>>;

/**
 * One condition of the knowledge base. Scores are in natural-log units, so a clinician can read them
 * as likelihood ratios: +0.5 weak support (×1.6), +1 moderate (×2.7), +2 strong (×7), +3 near-hallmark
 * (×20); negative weights argue against.
 */
export interface ConditionDef {
  readonly name: string;
  readonly layName: string;
  readonly icd10: string;
  /** Triage when this condition is the likely answer and no red flag applies. */
  readonly triage: TriageLevel;
  /** Relative frequency among people presenting to a gynaecology and obstetrics triage service (per 1,000). */
  readonly prior: number;
  /** Multipliers on the prior by patient context (pregnancy, menopause, age, gestation); 0 rules out. */
  readonly context?: Weights;
  /** Log-likelihood weight for each finding when it is present. */
  readonly findings: Weights;
  /** Log-likelihood weight for a finding the patient explicitly denies ("no discharge"). */
  readonly denied?: Weights;
  readonly investigations: readonly Investigation[];
  readonly advice: readonly string[];
  /** Guideline and topic the entry paraphrases. */
  readonly source: string;
}
