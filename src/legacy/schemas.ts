/**
 * Wire schemas of the Python service's legacy routes, as the existing NestJS back end uses them
 * (see docs/legacy-api.md). Request schemas say which shapes are accepted; the adapters turn the
 * looser inputs (yes/no as booleans, strings or numbers; lists as arrays or comma strings) into
 * canonical values. No transforms here, so the schemas also document the routes in OpenAPI.
 */
import { z } from 'zod';
import { Medication } from '../domain/medications/medication.ts';
import { MAX_RESPONSE_BYTES } from '../domain/diagnosis/response-size.ts';
import { TriageLevel } from '../domain/triage.ts';

/** How the free text of a legacy body is read (see domain/text/normalize.ts). */
const LEGACY_NORMALISED =
  'Length limits apply to the text as sent; every string (and object key) is then normalised once ' +
  '(Unicode NFKC; zero-width, soft-hyphen, bidi-control and control characters removed; quotes, dashes and ' +
  'spaces unified) before the rules, the knowledge base, medicine screening or the model read it.';

/** The size bound and model-output rules, as on /v1/diagnose (see domain/diagnosis/response-size.ts). */
const LEGACY_BOUNDED =
  `At most ${MAX_RESPONSE_BYTES} bytes of JSON: echoed lists and the longest texts lose detail first; scores, ` +
  'levels, the diagnosis name, medicines and the high-priority investigation are never cut. Model text is plain ' +
  '(no markup, links or phone numbers), and advice that contradicts a level the red-flag rules raised is dropped.';

/** Call B's urgency scale, which the back end prices by. */
export const UrgencyLevel = z.enum(['low', 'moderate', 'high', 'urgent']);

/** The back end also lets low/medium/high through to this field; they are read as mild/moderate/severe. */
export const LegacySeverityInput = z.enum(['mild', 'moderate', 'severe', 'low', 'medium', 'high'], {
  error: "Input should be 'mild', 'moderate' or 'severe'",
});
export const LegacyOnset = z.enum(['sudden', 'gradual', 'chronic'], {
  error: "Input should be 'sudden', 'gradual' or 'chronic'",
});
export const LegacyProgression = z.enum(['stable', 'improving', 'worsening', 'fluctuating'], {
  error: "Input should be 'stable', 'improving', 'worsening' or 'fluctuating'",
});
export const LegacyPriority = z.enum(['low', 'medium', 'high']);

// ---------------------------------------------------------------------------------------------
// Call A: POST /api/v1/diagnosis/

/** Call A body, the Python service's input rules (plus null for optional fields, as Pydantic allowed). */
export const LegacyDiagnosisRequest = z
  .object({
    symptoms: z.array(z.string().trim().min(2).max(100)).min(1).max(3),
    patient_age: z.number().int().min(12).max(100),
    severity_level: LegacySeverityInput.nullish(),
    duration: z.string().trim().min(1).max(50),
    onset: LegacyOnset.nullish(),
    progression: LegacyProgression.nullish(),
    medical_history: z.array(z.string()).nullish(),
    additional_notes: z.string().max(2000).nullish(),
  })
  .meta({
    id: 'LegacyDiagnosisRequest',
    examples: [
      {
        symptoms: ['pelvic pain', 'irregular periods'],
        patient_age: 28,
        severity_level: 'moderate',
        duration: '2 weeks',
        medical_history: [],
        additional_notes: '',
      },
    ],
  });
export type LegacyDiagnosisRequest = z.infer<typeof LegacyDiagnosisRequest>;

export const LegacyDiagnosisBody = z
  .union([z.object({ diagnosis_request: LegacyDiagnosisRequest }), LegacyDiagnosisRequest])
  .meta({
    description: `Wrapped in {"diagnosis_request": …} as the back end sends it, or flat. ${LEGACY_NORMALISED}`,
  });

export const LegacyInvestigation = z.object({
  name: z.string().min(1),
  priority: LegacyPriority,
  reason: z.string(),
});
export type LegacyInvestigation = z.infer<typeof LegacyInvestigation>;

export const LegacyMedication = Medication;

/** Never 0: the back end reads 0 as a failed answer and a score below 0.5 as an emergency. */
const ConfidenceScore = z.number().gt(0).max(1);

export const LegacyDiagnosisResponse = z
  .object({
    diagnosis: z.string().min(1),
    confidence_score: ConfidenceScore,
    suggested_investigations: z.array(LegacyInvestigation),
    recommended_medications: z.array(LegacyMedication),
    lifestyle_advice: z.array(z.string()),
    follow_up_recommendations: z.string(),
    disclaimer: z.string(),
    timestamp: z.iso.datetime(),
    // Additions the back end ignores: the triage behind confidence_score, for newer clients.
    triage_level: TriageLevel,
    urgency_level: UrgencyLevel,
  })
  .meta({ id: 'LegacyDiagnosisResponse', description: LEGACY_BOUNDED });
export type LegacyDiagnosisResponse = z.infer<typeof LegacyDiagnosisResponse>;

// ---------------------------------------------------------------------------------------------
// Call B: POST /api/v1/diagnosis/structure

/** Yes/no-ish answers: true, "yes", "moderate", 1, "none", false… */
const YesNo = z.union([z.boolean(), z.string().max(500), z.number(), z.null()], {
  error: 'Input should be a boolean, a string or a number',
});
/** A list as an array, or a comma/semicolon-separated string. */
const LooseList = z.union(
  [
    z.array(z.union([z.string().max(500), z.number(), z.boolean(), z.null()])),
    z.string().max(5000),
    z.null(),
  ],
  {
    error: 'Input should be a list of strings or a comma-separated string',
  },
);
/** Free text that may arrive as a number ("cycle_frequency": 28). */
const LooseText = z.union([z.string().max(2000), z.number(), z.boolean(), z.null()], {
  error: 'Input should be a valid string',
});
const section = <T extends z.ZodRawShape>(shape: T) => z.object(shape).nullish();

export const StructuredRequest = z
  .object({
    patient_profile: z.object({
      age: z.number().int().min(10).max(100),
      request_id: z.string().trim().min(1).max(200),
      timestamp: LooseText.optional(),
    }),
    primary_complaint: z.object({
      main_symptom: z.string().trim().min(2).max(200),
      duration: LooseText.optional(),
      severity: LooseText.optional(),
      onset: LooseText.optional(),
      progression: LooseText.optional(),
    }),
    symptom_specific_details: z
      .object({
        symptom_characteristics: z
          .union([z.record(z.string(), z.unknown()), z.array(z.unknown()), z.string().max(2000), z.null()])
          .optional(),
      })
      .catchall(z.unknown())
      .nullish(),
    reproductive_history: section({
      pregnancy_status: z
        .union([
          z
            .object({ could_be_pregnant: YesNo.optional(), pregnancy_test_result: LooseText.optional() })
            .catchall(z.unknown()),
          z.string().max(200),
          z.boolean(),
          z.null(),
        ])
        .optional(),
      sexual_activity: z
        .object({ sexually_active: YesNo.optional(), contraception_method: LooseText.optional() })
        .catchall(z.unknown())
        .nullish(),
      menstrual_history: z
        .object({
          menarche_age: LooseText.optional(),
          cycle_frequency: LooseText.optional(),
          period_duration: LooseText.optional(),
        })
        .catchall(z.unknown())
        .nullish(),
    }),
    associated_symptoms: section({
      pain: z
        .object({ pelvic_pain: YesNo.optional(), vulvar_irritation: YesNo.optional() })
        .catchall(z.unknown())
        .nullish(),
      systemic: z
        .object({ fatigue: YesNo.optional(), nausea: YesNo.optional(), fever: YesNo.optional() })
        .catchall(z.unknown())
        .nullish(),
    }),
    medical_context: section({
      current_medications: LooseList.optional(),
      recent_medications: LooseList.optional(),
      medical_conditions: LooseList.optional(),
      previous_gynecological_issues: LooseList.optional(),
      allergies: LooseList.optional(),
      family_history: LooseList.optional(),
    }),
    healthcare_interaction: section({
      previous_consultation: YesNo.optional(),
      consultation_outcome: LooseText.optional(),
      investigations_done: YesNo.optional(),
      investigation_results: LooseText.optional(),
      current_treatment: LooseText.optional(),
    }),
    patient_concerns: section({
      main_worry: LooseText.optional(),
      impact_on_life: LooseText.optional(),
      additional_notes: LooseText.optional(),
    }),
  })
  .meta({
    id: 'LegacyStructuredRequest',
    description:
      'Only patient_profile.age, patient_profile.request_id and primary_complaint.main_symptom are required; ' +
      'every other section may be missing, and yes/no fields accept booleans, strings or numbers.',
  });
export type StructuredRequest = z.infer<typeof StructuredRequest>;

export const StructuredBody = z
  .union([z.object({ structured_request: StructuredRequest }), StructuredRequest])
  .meta({
    description: `Wrapped in {"structured_request": …} as the back end sends it, or flat. ${LEGACY_NORMALISED} patient_profile is not normalised: its request_id is echoed as sent.`,
  });

export type UrgencyLevel = z.infer<typeof UrgencyLevel>;

export const StructuredResponse = z
  .object({
    request_id: z.string().min(1),
    patient_age: z.number().int(),
    primary_symptom: z.string().min(1),
    possible_diagnoses: z
      .array(
        z.object({
          name: z.string().min(1),
          confidence_score: z.number().min(0).max(1),
          description: z.string(),
          icd10: z.string(),
        }),
      )
      .min(1),
    confidence_score: ConfidenceScore,
    risk_assessment: z.object({
      urgency_level: UrgencyLevel,
      red_flags: z.array(z.string()),
      when_to_seek_emergency_care: z.array(z.string()),
    }),
    clinical_reasoning: z.string(),
    differential_considerations: z.array(z.string()),
    recommended_investigations: z.array(LegacyInvestigation),
    safety_assessment: z.object({
      allergy_considerations: z.object({
        allergic_medications: z.array(z.string()),
        safe_alternatives: z.array(z.string()),
        contraindicated_drugs: z.array(z.string()),
      }),
      condition_interactions: z.array(z.string()),
      safety_warnings: z.array(z.string()),
    }),
    treatment_recommendations: z.object({
      primary_treatment: z.string(),
      safe_medications: z.array(LegacyMedication),
      lifestyle_modifications: z.array(z.string()),
      dietary_advice: z.array(z.string()),
      follow_up_timeline: z.string(),
    }),
    patient_education: z.array(z.string()),
    warning_signs: z.array(z.string()),
    processing_notes: z.array(z.string()),
    disclaimer: z.string(),
    timestamp: z.iso.datetime(),
    triage_level: TriageLevel,
  })
  .meta({ id: 'LegacyStructuredResponse', description: LEGACY_BOUNDED });
export type StructuredResponse = z.infer<typeof StructuredResponse>;

// ---------------------------------------------------------------------------------------------
// POST /api/v1/diagnosis/validate

export const ValidateSymptomsBody = z
  .union([z.array(z.string()).max(100), z.object({ symptoms: z.array(z.string()).max(100) })])
  .meta({
    description: 'A JSON array of symptom strings (as the Python service took it), or {"symptoms": [...]}.',
  });

export const ValidateSymptomsResponse = z.object({
  valid: z.array(z.string()),
  invalid: z.array(z.string()),
  // The Python service's names for the same result.
  valid_symptoms: z.array(z.string()),
  invalid_symptoms: z.array(z.string()),
  total_symptoms: z.number().int(),
  valid_count: z.number().int(),
  invalid_count: z.number().int(),
});
export type ValidateSymptomsResponse = z.infer<typeof ValidateSymptomsResponse>;

// ---------------------------------------------------------------------------------------------
// Errors, in FastAPI's shapes

export const FastApiValidationItem = z.object({
  type: z.string(),
  loc: z.array(z.union([z.string(), z.number()])),
  msg: z.string(),
  ctx: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
});
export type FastApiValidationItem = z.infer<typeof FastApiValidationItem>;

export const FastApiValidationError = z
  .object({ detail: z.array(FastApiValidationItem) })
  .meta({ id: 'FastApiValidationError' });
export const FastApiError = z.object({ detail: z.string() }).meta({ id: 'FastApiError' });
