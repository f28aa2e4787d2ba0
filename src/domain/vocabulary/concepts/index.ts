import { BLEEDING_CONCEPTS } from './bleeding.ts';
import { GENITAL_CONCEPTS } from './genital.ts';
import { HISTORY_CONCEPTS } from './history.ts';
import { MIMIC_CONCEPTS } from './mimics.ts';
import { MOOD_AND_CYCLE_CONCEPTS } from './mood-menstrual.ts';
import { PAIN_CONCEPTS } from './pain.ts';
import { PERINATAL_CONCEPTS } from './perinatal.ts';
import { PREGNANCY_CONCEPTS } from './pregnancy.ts';
import { SYSTEMIC_CONCEPTS } from './systemic.ts';
import { URGENT_SIGN_CONCEPTS } from './urgent-signs.ts';
import { URINARY_CONCEPTS } from './urinary.ts';

export const CONCEPTS = [
  ...PAIN_CONCEPTS,
  ...BLEEDING_CONCEPTS,
  ...GENITAL_CONCEPTS,
  ...URINARY_CONCEPTS,
  ...MIMIC_CONCEPTS,
  ...PREGNANCY_CONCEPTS,
  ...PERINATAL_CONCEPTS,
  ...SYSTEMIC_CONCEPTS,
  ...HISTORY_CONCEPTS,
  ...MOOD_AND_CYCLE_CONCEPTS,
  ...URGENT_SIGN_CONCEPTS,
] as const;

/** A concept the matcher recognises in free text. */
export type ConceptId = (typeof CONCEPTS)[number]['id'];
