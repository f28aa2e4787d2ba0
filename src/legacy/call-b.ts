/**
 * Call B (POST /api/v1/diagnosis/structure) ⇄ canonical: eight lenient sections become a DiagnoseRequest, and
 * the canonical answer fills every field of the structured response, urgency_level carrying the triage.
 */
import {
  DiagnoseRequest,
  type DiagnoseRequestInput,
  type DiagnoseResponse,
  type DifferentialItem,
} from '../domain/schemas/diagnose.ts';
import { isEmergency } from '../domain/triage.ts';
import { type Loc } from './fastapi-errors.ts';
import { fitStructuredResponse } from './response-size.ts';
import { clip, humanizeKey, readList, readPossibility, readText, readYesNo } from './lenient.ts';
import {
  assessMedicationSafety,
  selfCareMedications,
  withoutExcludedDrugs,
  type MedicationContext,
  type MedicationSafety,
} from '../domain/medications/safety.ts';
import type { StructuredRequest, StructuredResponse } from './schemas.ts';
import {
  EMERGENCY_CARE_SIGNS,
  followUpRecommendation,
  followUpTimeline,
  legacyConfidenceScore,
  primaryTreatment,
  urgencyLevel,
} from './triage-mapping.ts';

type PregnancyStatus = DiagnoseRequest['patient']['pregnancy_status'];

import { investigationsFor } from './call-a.ts';
import {
  MAX_ITEM,
  MAX_NOTES,
  MAX_SYMPTOMS,
  readOnset,
  readSeverity,
  shortList,
  toCanonical,
  type AdaptedRequest,
} from './adapt-common.ts';
import { dedupe } from '../domain/text/dedupe.ts';

/** symptom_characteristics, free-form, as short findings: `clots: true` → "clots", `flow_intensity: "heavy"` → "flow intensity: heavy". */
function characteristicFindings(value: unknown): string[] {
  if (typeof value === 'string') return readList(value);
  if (Array.isArray(value)) return readList(value);
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  const visit = (key: string, v: unknown, depth: number) => {
    const label = humanizeKey(key);
    if (
      typeof v === 'boolean' ||
      (typeof v === 'string' && /^(yes|no|true|false|none|absent|present)$/i.test(v.trim()))
    ) {
      if (readYesNo(v).present) out.push(label);
    } else if (typeof v === 'string' || typeof v === 'number') {
      const text = readText(v);
      if (text) out.push(`${label}: ${text}`);
    } else if (Array.isArray(v)) {
      const items = readList(v);
      if (items.length) out.push(`${label}: ${items.join(', ')}`);
    } else if (v && typeof v === 'object' && depth < 2) {
      for (const [k, inner] of Object.entries(v)) visit(`${key} ${k}`, inner, depth + 1);
    }
  };
  for (const [k, v] of Object.entries(value)) visit(k, v, 0);
  return out;
}

const ASSOCIATED: ReadonlyArray<readonly ['pain' | 'systemic', string, string]> = [
  ['pain', 'pelvic_pain', 'pelvic pain'],
  ['pain', 'vulvar_irritation', 'vulvar irritation'],
  ['systemic', 'fever', 'fever'],
  ['systemic', 'nausea', 'nausea'],
  ['systemic', 'fatigue', 'fatigue'],
];

function associatedFindings(section: StructuredRequest['associated_symptoms']): string[] {
  if (!section) return [];
  const out: string[] = [];
  const known = new Set(ASSOCIATED.map(([, key]) => key));
  for (const [group, key, label] of ASSOCIATED) {
    const answer = readYesNo((section[group] as Record<string, unknown> | null | undefined)?.[key]);
    if (answer.present) out.push(answer.detail ? `${label} (${answer.detail})` : label);
  }
  // Other yes/no findings clients add next to the known ones ("vomiting": true).
  for (const group of ['pain', 'systemic'] as const) {
    for (const [key, value] of Object.entries(section[group] ?? {})) {
      if (known.has(key)) continue;
      const answer = readYesNo(value);
      if (answer.present)
        out.push(answer.detail ? `${humanizeKey(key)} (${answer.detail})` : humanizeKey(key));
    }
  }
  return out;
}

function structuredPregnancy(req: StructuredRequest): { status: PregnancyStatus; note: string } {
  const raw = req.reproductive_history?.pregnancy_status;
  let couldBe: boolean | null = null;
  let test: string | undefined;
  if (raw && typeof raw === 'object') {
    couldBe = readPossibility(raw.could_be_pregnant);
    test = readText(raw.pregnancy_test_result)?.toLowerCase();
  } else if (typeof raw === 'string') {
    const text = raw.trim().toLowerCase();
    if (/positive|^pregnant|^yes/.test(text)) couldBe = true;
    else if (/negative/.test(text)) test = 'negative';
    else couldBe = readPossibility(raw);
  } else if (typeof raw === 'boolean') {
    couldBe = raw;
  }
  if (test && /positive/.test(test))
    return { status: 'pregnant', note: 'Pregnancy status read as pregnant (positive test).' };
  if (test && /negative/.test(test))
    return { status: 'not_pregnant', note: 'Pregnancy status read as not pregnant (negative test).' };
  if (couldBe === true)
    return { status: 'pregnant', note: 'Pregnancy status read as pregnant (could be pregnant).' };
  return {
    status: 'unknown',
    note: 'Pregnancy status unknown: pregnancy-related causes stay in consideration.',
  };
}

function menopausalStatus(texts: readonly string[]): DiagnoseRequest['patient']['menopausal_status'] {
  const text = texts.join(' ').toLowerCase();
  if (/post-?\s?menopaus/.test(text)) return 'postmenopausal';
  if (/peri-?\s?menopaus/.test(text)) return 'perimenopausal';
  return 'unknown';
}

function yesNoNote(label: string, value: unknown): string | undefined {
  const a = readYesNo(value);
  if (a.present === null) return undefined;
  return `${label}: ${a.detail ?? (a.present ? 'yes' : 'no')}.`;
}

/** Call B → canonical. Only age, main symptom and request id are required; everything else is read when present. */
export function adaptStructuredRequest(req: StructuredRequest, loc: Loc = ['body']): AdaptedRequest {
  const notes: string[] = [];
  const complaint = req.primary_complaint;
  const context = req.medical_context ?? {};
  const reproductive = req.reproductive_history ?? {};
  const care = req.healthcare_interaction ?? {};
  const concerns = req.patient_concerns ?? {};

  const characteristics = characteristicFindings(req.symptom_specific_details?.symptom_characteristics);
  const associated = associatedFindings(req.associated_symptoms);
  const symptoms = dedupe([complaint.main_symptom, ...associated, ...characteristics])
    .map((s) => clip(s, MAX_ITEM))
    .filter((s) => s.length >= 2);
  if (symptoms.length > MAX_SYMPTOMS) notes.push(`Only the first ${MAX_SYMPTOMS} findings were used.`);

  const severity = readSeverity(complaint.severity);
  if (complaint.severity !== undefined && complaint.severity !== null && !severity)
    notes.push('Severity not recognised; left unset.');
  const onset = readOnset(complaint.onset);
  const pregnancy = structuredPregnancy(req);
  notes.push(pregnancy.note);

  const allergies = readList(context.allergies);
  const current = readList(context.current_medications);
  const recent = readList(context.recent_medications);
  const conditions = readList(context.medical_conditions);
  const gynae = readList(context.previous_gynecological_issues);
  const family = readList(context.family_history);
  const menstrual = reproductive.menstrual_history ?? {};
  const sexual = reproductive.sexual_activity ?? {};

  const noteParts = [
    readText(concerns.main_worry) && `Main worry: ${readText(concerns.main_worry)}.`,
    readText(concerns.impact_on_life) && `Impact on life: ${readText(concerns.impact_on_life)}.`,
    readText(concerns.additional_notes),
    readText(complaint.progression) && `Progression: ${readText(complaint.progression)}.`,
    !onset && readText(complaint.onset) && `Onset: ${readText(complaint.onset)}.`,
    yesNoNote('Sexually active', sexual.sexually_active),
    readText(sexual.contraception_method) && `Contraception: ${readText(sexual.contraception_method)}.`,
    readText(menstrual.menarche_age) && `Age at first period: ${readText(menstrual.menarche_age)}.`,
    readText(menstrual.cycle_frequency) && `Cycle: ${readText(menstrual.cycle_frequency)}.`,
    readText(menstrual.period_duration) && `Period length: ${readText(menstrual.period_duration)}.`,
    yesNoNote('Previous consultation for this', care.previous_consultation),
    readText(care.consultation_outcome) && `Outcome: ${readText(care.consultation_outcome)}.`,
    yesNoNote('Investigations done', care.investigations_done),
    readText(care.investigation_results) && `Results: ${readText(care.investigation_results)}.`,
    readText(care.current_treatment) && `Current treatment: ${readText(care.current_treatment)}.`,
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
  const noteText = noteParts.join('\n');
  if (noteText.length > MAX_NOTES) notes.push(`Notes were shortened to ${MAX_NOTES} characters.`);

  const history = [...conditions, ...gynae, ...family.map((f) => `Family history: ${f}`)];
  const medicines = [...current, ...recent.map((m) => `Recently: ${m}`)];
  const input: DiagnoseRequestInput = {
    patient: {
      age: req.patient_profile.age,
      pregnancy_status: pregnancy.status,
      menopausal_status: menopausalStatus([
        ...conditions,
        ...gynae,
        readText(menstrual.cycle_frequency) ?? '',
        readText(concerns.additional_notes) ?? '',
      ]),
    },
    symptoms: symptoms.slice(0, MAX_SYMPTOMS),
    ...(severity ? { severity } : {}),
    ...(onset ? { onset } : {}),
    ...(readText(complaint.duration) ? { duration: clip(readText(complaint.duration) as string, 50) } : {}),
    ...(history.length ? { medical_history: shortList(history) } : {}),
    ...(medicines.length ? { medications: shortList(medicines) } : {}),
    ...(allergies.length ? { allergies: shortList(allergies) } : {}),
    ...(noteText ? { notes: clip(noteText, MAX_NOTES) } : {}),
  };
  const canonical = toCanonical(input, loc);
  const medication: MedicationContext = {
    age: canonical.patient.age,
    pregnancy: canonical.patient.pregnancy_status,
    allergies,
    conditions: [...conditions, ...gynae],
    currentMedications: current,
  };
  return { canonical, medication, notes };
}

const DIETARY_ADVICE: ReadonlyMap<string, readonly string[]> = new Map([
  ['N30.00', ['Drink enough fluid to avoid dehydration (NICE NG109).']],
  ['N10', ['Drink enough fluid to avoid dehydration.']],
  [
    'O21.0',
    [
      'Eat small, frequent, bland meals that are high in carbohydrate and low in fat; drink little and often (NICE CKS).',
    ],
  ],
  ['O21.1', ['Sip fluids little and often; if you cannot keep fluids down, seek care today.']],
  ['E28.2', ['A balanced diet and, where needed, weight management improve PCOS symptoms (NICE CKS).']],
  ['O24.419', ['Follow the diet plan from your diabetes or antenatal team.']],
  ['N92.0', ['Include iron-rich foods (red meat, pulses, dark green vegetables) to make up for blood loss.']],
]);

function describe(d: DifferentialItem): string {
  return d.rationale?.trim() || d.supporting_findings.join(', ') || d.condition;
}

/** Canonical answer → call B response. */
export function toStructuredResponse(
  response: DiagnoseResponse,
  req: StructuredRequest,
  adapted: AdaptedRequest,
): StructuredResponse {
  const level = response.triage.level;
  const [top, ...rest] = response.differential;
  const safety: MedicationSafety = assessMedicationSafety(adapted.medication);
  const selfCare = selfCareMedications(top?.icd10, level, adapted.medication, safety);
  const advice = withoutExcludedDrugs(response.advice, safety);
  const redFlags = response.triage.red_flags.map((r) => r.description);

  const processing = [
    ...adapted.notes,
    `Triage level: ${level} (urgency ${urgencyLevel(level)}).`,
    `Answered by the ${response.engine.provider} engine${response.engine.fallback ? ' (fallback after the primary engine failed)' : ''}.`,
    ...(redFlags.length
      ? [`${redFlags.length} red-flag rule(s) fired; urgency cannot be lower than they set.`]
      : []),
    ...selfCare.notes,
    ...(advice.dropped
      ? [`${advice.dropped} advice item(s) naming a medicine unsafe for this patient were removed.`]
      : []),
  ];

  return fitStructuredResponse({
    request_id: req.patient_profile.request_id,
    patient_age: req.patient_profile.age,
    primary_symptom: req.primary_complaint.main_symptom,
    possible_diagnoses: response.differential.map((d) => ({
      name: d.condition,
      confidence_score: Math.round(Math.min(1, Math.max(0, d.probability)) * 100) / 100,
      description: describe(d),
      icd10: d.icd10,
    })),
    confidence_score: legacyConfidenceScore(level, top?.probability),
    risk_assessment: {
      urgency_level: urgencyLevel(level),
      red_flags: redFlags,
      when_to_seek_emergency_care: [...EMERGENCY_CARE_SIGNS],
    },
    clinical_reasoning: [response.triage.rationale, top ? `${top.condition}: ${describe(top)}` : '']
      .filter(Boolean)
      .join(' '),
    differential_considerations: rest.map(
      (d) => `${d.condition} (ICD-10 ${d.icd10}, probability ${d.probability.toFixed(2)}): ${describe(d)}`,
    ),
    recommended_investigations: investigationsFor(level, response),
    safety_assessment: {
      allergy_considerations: {
        allergic_medications: safety.allergicMedications,
        safe_alternatives: safety.safeAlternatives,
        contraindicated_drugs: safety.contraindicatedDrugs,
      },
      condition_interactions: safety.conditionInteractions,
      safety_warnings: safety.safetyWarnings,
    },
    treatment_recommendations: {
      primary_treatment: primaryTreatment(level),
      safe_medications: selfCare.medications,
      lifestyle_modifications: advice.kept,
      dietary_advice: isEmergency(level) ? [] : [...(top ? (DIETARY_ADVICE.get(top.icd10) ?? []) : [])],
      follow_up_timeline: followUpTimeline(level),
    },
    patient_education: [
      followUpRecommendation(level),
      ...(top
        ? [
            `The most likely explanation is ${top.condition}; only an examination, and tests where needed, can confirm it.`,
          ]
        : []),
    ],
    warning_signs: dedupe([
      ...redFlags,
      'Symptoms getting worse, or new symptoms appearing',
      ...EMERGENCY_CARE_SIGNS.slice(0, 3),
    ]),
    processing_notes: processing,
    disclaimer: response.disclaimer,
    timestamp: response.created_at,
    triage_level: level,
  });
}
