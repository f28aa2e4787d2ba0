import { z } from 'zod';
import { OUTPUT_LIMITS } from '../diagnosis/bound.ts';
import { MAX_RESPONSE_BYTES } from '../diagnosis/response-size.ts';
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

/** A FHIR reference to the client's own Patient: relative (Patient/123) or absolute, optionally versioned. */
const PATIENT_REFERENCE =
  /^(https?:\/\/[^\s/?#]+(\/[^\s/?#]+)*\/)?Patient\/[A-Za-z0-9.-]{1,64}(\/_history\/[A-Za-z0-9.-]{1,64})?$/;

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
    subject: z
      .string()
      .max(512)
      .regex(PATIENT_REFERENCE, {
        message:
          'Expected a FHIR Patient reference such as "Patient/123" or "https://ehr.example/fhir/Patient/123".',
      })
      .optional()
      .describe(
        'Your own FHIR reference to the patient, used as the subject of the FHIR answer (Accept: application/fhir+json). Never sent to the model, never logged.',
      ),
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

const L = OUTPUT_LIMITS;
/** Model output rules, said once for the OpenAPI document (see domain/diagnosis/bound.ts). */
const PLAIN = 'Plain text: markup, links, e-mail addresses, phone numbers and control characters removed';

export const DifferentialItem = z.object({
  condition: z
    .string()
    .meta({ description: "The catalog's name for the ICD-10 code, never the model's own wording" }),
  icd10: z.string(),
  probability: z.number().min(0).max(1),
  rationale: z.string().meta({ description: `${PLAIN}; at most ${L.itemRationaleBytes} bytes` }),
  supporting_findings: z
    .array(z.string())
    .meta({ description: `${PLAIN}; at most ${L.findingsPerItem} items of ${L.findingBytes} bytes` }),
  recommended_investigations: z.array(z.string()).meta({
    description: `${PLAIN}; at most ${L.investigationsPerItem} items of ${L.investigationNameBytes} bytes`,
  }),
});
export type DifferentialItem = z.infer<typeof DifferentialItem>;

export const Investigation = z.object({
  name: z.string().meta({ description: `${PLAIN}; at most ${L.investigationNameBytes} bytes` }),
  priority: InvestigationPriority,
  reason: z.string().meta({ description: `${PLAIN}; at most ${L.investigationReasonBytes} bytes` }),
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
      rationale: z.string().meta({
        description: `${PLAIN}; at most ${L.triageRationaleBytes} bytes of the engine's own reasoning. When the red-flag rules raised the level, it starts with the rules that did, and reasoning that contradicts the level is left out.`,
      }),
    }),
    differential: z.array(DifferentialItem).min(1).max(10),
    recommended_investigations: z
      .array(Investigation)
      .meta({ description: `At most ${L.investigations} items` }),
    advice: z.array(z.string()).meta({
      description:
        `${PLAIN}; at most ${L.advice} lines of ${L.adviceBytes} bytes. When the red-flag rules made the level more ` +
        'urgent than the engine did, their advice comes first and engine advice that contradicts it (self-care, ' +
        '"no need to see anyone", staying home, home remedies, waiting to see) is dropped.',
    }),
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
  .meta({
    id: 'DiagnoseResponse',
    description:
      `At most ${MAX_RESPONSE_BYTES} bytes of JSON: should the capped fields still add up to more, the longest ` +
      'texts and lists lose detail first; the level, red flags, codes and condition names are never cut.',
  });
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
