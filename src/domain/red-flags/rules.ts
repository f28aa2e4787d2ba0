import type { z } from 'zod';
import type { RedFlagRuleListing } from '../schemas/reference.ts';
import type { RedFlagRule } from './types.ts';
import { GENERAL_RULES } from './rules/general.ts';
import { EARLY_PREGNANCY_RULES } from './rules/early-pregnancy.ts';
import { LATER_PREGNANCY_RULES } from './rules/later-pregnancy.ts';
import { POSTPARTUM_RULES } from './rules/postpartum.ts';
import { MENTAL_HEALTH_RULES } from './rules/mental-health.ts';
import { GYNAECOLOGY_RULES } from './rules/gynaecology.ts';

/**
 * Red-flag rules as data, in the spirit of Infermedica's triage tuples: the findings that trigger a
 * rule, the least urgent level the answer may then carry, and the conditions that must then appear
 * in the differential. Wording is ours, paraphrasing the cited guideline.
 */

/** Every rule; evaluation order does not matter (the fired rules are sorted by level). Listed by topic. */
export const RED_FLAG_RULE_DEFINITIONS: readonly RedFlagRule[] = [
  ...GENERAL_RULES,
  ...EARLY_PREGNANCY_RULES,
  ...LATER_PREGNANCY_RULES,
  ...POSTPARTUM_RULES,
  ...MENTAL_HEALTH_RULES,
  ...GYNAECOLOGY_RULES,
];

/** What `GET /v1/red-flags` lists: the rules without their trigger internals. */
export type PublicRedFlagRule = z.infer<typeof RedFlagRuleListing>;

export const RED_FLAG_RULES: readonly PublicRedFlagRule[] = RED_FLAG_RULE_DEFINITIONS.map((r) => ({
  id: r.id,
  description: r.description,
  level: r.level,
  must_not_miss: r.mustNotMiss.map((m) => ({ icd10: m.icd10, condition: m.condition })),
  source: r.source,
}));
