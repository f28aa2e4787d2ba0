import type { z } from 'zod';
import type { ConditionListing as ConditionListingSchema } from '../schemas/reference.ts';
import { BENIGN_CONDITIONS } from './conditions/benign.ts';
import { EARLY_PREGNANCY_CONDITIONS } from './conditions/early-pregnancy.ts';
import { INFECTION_CONDITIONS } from './conditions/infections.ts';
import { MENOPAUSE_CONDITIONS } from './conditions/menopause.ts';
import { MENSTRUAL_CONDITIONS } from './conditions/menstrual.ts';
import { NON_GYNAECOLOGICAL_CONDITIONS } from './conditions/non-gynaecological.ts';
import { OBSTETRIC_CONDITIONS } from './conditions/obstetric.ts';
import { SEVERE_OBSTETRIC_CONDITIONS } from './conditions/obstetric-severe.ts';
import { ONCOLOGY_CONDITIONS } from './conditions/oncology.ts';
import { OTHER_CONDITIONS } from './conditions/other.ts';
import { POSTNATAL_COMMON_CONDITIONS } from './conditions/postnatal-common.ts';
import { POSTPARTUM_CONDITIONS } from './conditions/postpartum.ts';
import { PREGNANCY_OTHER_CONDITIONS } from './conditions/pregnancy-other.ts';
import { STRUCTURAL_CONDITIONS } from './conditions/structural.ts';
import { VULVAR_CONDITIONS } from './conditions/vulvar.ts';
import type { ConditionDef } from './types.ts';

export const CONDITIONS: readonly ConditionDef[] = [
  ...INFECTION_CONDITIONS,
  ...EARLY_PREGNANCY_CONDITIONS,
  ...OBSTETRIC_CONDITIONS,
  ...SEVERE_OBSTETRIC_CONDITIONS,
  ...POSTPARTUM_CONDITIONS,
  ...POSTNATAL_COMMON_CONDITIONS,
  ...PREGNANCY_OTHER_CONDITIONS,
  ...MENSTRUAL_CONDITIONS,
  ...STRUCTURAL_CONDITIONS,
  ...MENOPAUSE_CONDITIONS,
  ...ONCOLOGY_CONDITIONS,
  ...VULVAR_CONDITIONS,
  ...OTHER_CONDITIONS,
  ...NON_GYNAECOLOGICAL_CONDITIONS,
  ...BENIGN_CONDITIONS,
];

export type ConditionListing = z.infer<typeof ConditionListingSchema>;

const LISTING: readonly ConditionListing[] = CONDITIONS.map((c) => ({
  name: c.name,
  icd10: c.icd10,
  lay_name: c.layName,
  default_triage: c.triage,
  source: c.source,
}));

/** What `GET /v1/conditions` lists. */
export function listConditions(): readonly ConditionListing[] {
  return LISTING;
}
