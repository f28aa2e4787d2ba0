import type { Onset, Severity, Vitals } from '../schemas/diagnose.ts';
import type { TriageLevel } from '../triage.ts';
import type { FindingId } from '../vocabulary/findings.ts';
import type { z } from 'zod';
import type { MustNotMiss } from './evaluate.ts';

export type VitalName = keyof z.infer<typeof Vitals>;

export interface VitalThreshold {
  readonly vital: VitalName;
  readonly op: '<' | '<=' | '>' | '>=';
  readonly value: number;
}

/**
 * One way a rule can fire; every field given must hold. Pregnancy and menopausal status, gestation
 * and age bands are also available as derived findings (see vocabulary/findings.ts).
 */
export interface RuleTrigger {
  /** Every finding must be present. */
  readonly allOf?: readonly FindingId[];
  /** Each group needs at least one present finding. */
  readonly anyOf?: readonly (readonly FindingId[])[];
  /** No finding may be present (a wording that means something else, such as "fit and well"). */
  readonly noneOf?: readonly FindingId[];
  /** Pregnancy context, any of (derived: `possibly_pregnant` = status unknown, 12–55, not postmenopausal). */
  readonly pregnancy?: readonly ('pregnant' | 'possibly_pregnant' | 'postpartum' | 'not_pregnant')[];
  /** Gestation bounds in weeks; an unknown gestation passes (safer to over-call than to miss). */
  readonly gestationalWeeks?: { readonly atLeast?: number; readonly below?: number };
  readonly menopause?: 'postmenopausal' | 'perimenopausal' | 'premenopausal';
  readonly age?: { readonly min?: number; readonly max?: number };
  /** At least one threshold must be crossed. */
  readonly vitals?: readonly VitalThreshold[];
  readonly onset?: z.infer<typeof Onset>;
  readonly severity?: z.infer<typeof Severity>;
}

export interface RedFlagRule {
  readonly id: string;
  readonly description: string;
  readonly level: TriageLevel;
  /** The rule fires when any trigger holds. */
  readonly when: readonly RuleTrigger[];
  readonly mustNotMiss: readonly MustNotMiss[];
  /** Guideline and topic the rule paraphrases. */
  readonly source: string;
}
