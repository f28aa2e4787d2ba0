import { z } from 'zod';
import { icd10Codes } from '../../icd10/catalog.ts';
import { InvestigationPriority } from '../../schemas/diagnose.ts';
import { TriageLevel } from '../../triage.ts';

/**
 * What the model must answer. Structured Outputs needs every field required, so "unknown" is null.
 * The parse schema is deliberately looser than the JSON schema sent (any code, any number):
 * codes are then checked against the catalog and probabilities clamped, item by item.
 */
function modelAssessment(icd10: z.ZodType<string>) {
  return z.strictObject({
    triage_level: TriageLevel,
    triage_rationale: z.string(),
    differential: z.array(
      z.strictObject({
        condition: z.string(),
        icd10,
        probability: z.number(),
        rationale: z.string().nullable(),
        supporting_findings: z.array(z.string()),
        recommended_investigations: z.array(z.string()),
      }),
    ),
    recommended_investigations: z.array(
      z.strictObject({ name: z.string(), priority: InvestigationPriority, reason: z.string().nullable() }),
    ),
    advice: z.array(z.string()),
  });
}

export const ModelAssessment = modelAssessment(z.string());
export type ModelAssessment = z.infer<typeof ModelAssessment>;

/** JSON schema for Structured Outputs, built once: ICD-10 codes limited to the catalog by enum. */
export function buildResponseJsonSchema(): Record<string, unknown> {
  const codes = icd10Codes() as [string, ...string[]];
  const schema = z.toJSONSchema(modelAssessment(z.enum(codes)), { target: 'draft-7' }) as Record<
    string,
    unknown
  >;
  delete schema.$schema;
  return schema;
}
