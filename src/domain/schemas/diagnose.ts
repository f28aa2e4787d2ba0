import { z } from 'zod';
import { normalizeText } from '../text/normalize.ts';
import { TriageLevel } from '../triage.ts';
import { MAX_PHRASE_CHARS, MAX_UNRECOGNIZED, SELF_CARE_MIN_COVERAGE } from '../vocabulary/coverage.ts';
import { Evidence, Interview } from './interview.ts';

const NORMALISED =
  'Length limits apply to the text as sent; the service then normalises it (Unicode NFKC, zero-width, ' +
  'soft-hyphen and bidi-control characters removed, quotes, dashes and spaces unified) before any rule, ' +
  'the knowledge base or the model reads it.';

/**
 * Free text: limits checked on what the client sent, then normalised once, here at the boundary, so
 * every reader (rules, vocabulary, medication screening, the model) sees the same text.
 */
function freeText(max: number, min = 0) {
  const sent = z.string().trim().max(max);
  return (min > 0 ? sent.min(min) : sent)
    .transform(normalizeText)
    .pipe(z.string().min(min, `Too small: expected at least ${min} visible characters`))
    .meta({ description: NORMALISED });
}

const listItem = freeText(200);
const shortList = z.array(listItem).max(30);

export const PregnancyStatus = z.enum(['pregnant', 'postpartum', 'not_pregnant', 'unknown']);
export const MenopausalStatus = z.enum(['premenopausal', 'perimenopausal', 'postmenopausal', 'unknown']);
export const Onset = z.enum(['sudden', 'gradual', 'chronic']);
export const Severity = z.enum(['mild', 'moderate', 'severe']);
export const InvestigationPriority = z.enum(['low', 'medium', 'high']);

export const Patient = z
  .strictObject({
    age: z.number().int().min(10).max(120),
    pregnancy_status: PregnancyStatus.default('unknown'),
    gestational_weeks: z.number().min(0).max(45).optional(),
    menopausal_status: MenopausalStatus.default('unknown'),
  })
  .superRefine((patient, ctx) => {
    if (patient.gestational_weeks !== undefined && patient.pregnancy_status !== 'pregnant') {
      ctx.addIssue({
        code: 'custom',
        path: ['gestational_weeks'],
        message: 'gestational_weeks is only allowed when pregnancy_status is "pregnant"',
      });
    }
  });

export const Vitals = z.strictObject({
  temperature_c: z.number().min(30).max(45).optional(),
  heart_rate_bpm: z.number().min(20).max(250).optional(),
  respiratory_rate: z.number().min(4).max(60).optional(),
  systolic_bp: z.number().min(50).max(260).optional(),
  diastolic_bp: z.number().min(20).max(160).optional(),
  oxygen_saturation: z.number().min(50).max(100).optional(),
});

export const DiagnoseRequest = z
  .strictObject({
    patient: Patient,
    symptoms: z.array(freeText(200, 2)).min(1).max(30),
    onset: Onset.optional(),
    severity: Severity.optional(),
    duration: freeText(50).optional(),
    vitals: Vitals.optional(),
    medical_history: shortList.optional(),
    medications: shortList.optional(),
    allergies: shortList.optional(),
    notes: freeText(2000).optional(),
    evidence: Evidence.optional(),
  })
  .meta({
    id: 'DiagnoseRequest',
    examples: [
      {
        patient: { age: 29, pregnancy_status: 'pregnant', gestational_weeks: 7 },
        symptoms: ['sharp right-sided pelvic pain', 'light vaginal bleeding', 'shoulder tip pain'],
        onset: 'sudden',
        severity: 'severe',
        duration: '6 hours',
        vitals: { heart_rate_bpm: 112, systolic_bp: 98 },
      },
    ],
  });
export type DiagnoseRequest = z.infer<typeof DiagnoseRequest>;
/** The request as a client may send it (defaults not yet applied). */
export type DiagnoseRequestInput = z.input<typeof DiagnoseRequest>;

export const RedFlag = z.object({
  id: z.string(),
  description: z.string(),
  level: TriageLevel,
});

export const DifferentialItem = z.object({
  condition: z.string(),
  icd10: z.string(),
  probability: z.number().min(0).max(1),
  rationale: z.string(),
  supporting_findings: z.array(z.string()),
  recommended_investigations: z.array(z.string()),
});
export type DifferentialItem = z.infer<typeof DifferentialItem>;

export const Investigation = z.object({
  name: z.string(),
  priority: InvestigationPriority,
  reason: z.string(),
});
export type Investigation = z.infer<typeof Investigation>;

export const ProviderName = z.enum(['openai', 'knowledge-base']);
export type ProviderName = z.infer<typeof ProviderName>;

export const DiagnoseResponse = z
  .object({
    id: z.uuid(),
    created_at: z.iso.datetime(),
    triage: z.object({
      level: TriageLevel,
      red_flags: z.array(RedFlag),
      rationale: z.string(),
    }),
    differential: z.array(DifferentialItem).min(1).max(10),
    recommended_investigations: z.array(Investigation),
    advice: z.array(z.string()),
    unrecognized: z
      .array(z.string())
      .max(MAX_UNRECOGNIZED)
      .meta({
        description:
          'Phrases of the symptoms and notes that the service could not map to a known finding, as written ' +
          `(at most ${MAX_UNRECOGNIZED}, each cut to ${MAX_PHRASE_CHARS} characters). Computed from the text by the ` +
          'service for every provider; never logged. Show them so a clinician can read what was not understood.',
        examples: [['weird lumps on my bum']],
      }),
    coverage: z
      .number()
      .min(0)
      .max(1)
      .meta({
        description:
          'Share (0..1) of the clinical words of the symptoms and notes that the service understood. Below ' +
          `${SELF_CARE_MIN_COVERAGE} the knowledge base never answers "self_care" and its triage rationale says why.`,
        examples: [0.85],
      }),
    engine: z.object({
      provider: ProviderName,
      model: z.string().nullable(),
      fallback: z.boolean(),
    }),
    disclaimer: z.string(),
    interview: Interview,
  })
  .meta({ id: 'DiagnoseResponse' });
export type DiagnoseResponse = z.infer<typeof DiagnoseResponse>;

export const ErrorResponse = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
    request_id: z.string(),
  })
  .meta({ id: 'ErrorResponse' });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const DISCLAIMER =
  'This is decision support, not a diagnosis. It does not replace an examination by a qualified clinician. ' +
  'If you are worried, or symptoms are severe or getting worse, seek medical care now; in an emergency call your local emergency number.';
