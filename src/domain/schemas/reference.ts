import { z } from 'zod';
import { TriageLevel } from '../triage.ts';

export const RedFlagRuleListing = z
  .object({
    id: z.string(),
    description: z.string(),
    level: TriageLevel,
    must_not_miss: z.array(z.object({ icd10: z.string(), condition: z.string() })),
    source: z.string().describe('The guideline the rule comes from (NICE CKS, RCOG, ACOG, WHO …)'),
  })
  .meta({ id: 'RedFlagRule' });

export const RedFlagRulesResponse = z.object({ rules: z.array(RedFlagRuleListing) });

export const ConditionListing = z
  .object({
    name: z.string(),
    icd10: z.string(),
    lay_name: z.string(),
    default_triage: TriageLevel,
    source: z.string(),
  })
  .meta({ id: 'Condition' });

export const ConditionsResponse = z.object({ conditions: z.array(ConditionListing) });
