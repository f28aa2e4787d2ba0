/**
 * Legacy ⇄ canonical. The legacy routes are thin: a legacy body becomes a canonical DiagnoseRequest,
 * the one pipeline answers it (red-flag rules, provider, output validation), and the canonical answer
 * is re-expressed in the legacy fields, with the triage carried by confidence_score / urgency_level
 * (see triage-mapping.ts) and medicines screened against allergies and pregnancy (medications.ts).
 */
import {
  DiagnoseRequest,
  type DiagnoseRequestInput,
  type DiagnoseResponse,
  type DifferentialItem,
} from '../schemas/diagnose.ts';
import { isEmergency, type TriageLevel } from '../triage.ts';
import { LegacyValidationError, type Loc } from './fastapi-errors.ts';
import { clip, humanizeKey, readList, readPossibility, readText, readYesNo } from './lenient.ts';
import {
  assessMedicationSafety,
  classesMentioned,
  selfCareMedications,
  withoutExcludedDrugs,
  type MedicationContext,
  type MedicationSafety,
} from './medications.ts';
import type {
  LegacyDiagnosisRequest,
  LegacyDiagnosisResponse,
  LegacyInvestigation,
  StructuredRequest,
  StructuredResponse,
} from './schemas.ts';
import {
  EMERGENCY_CARE_SIGNS,
  followUpRecommendation,
  followUpTimeline,
  legacyConfidenceScore,
  primaryTreatment,
  urgencyLevel,
} from './triage-mapping.ts';

type PregnancyStatus = DiagnoseRequest['patient']['pregnancy_status'];

const MAX_SYMPTOMS = 30;
const MAX_ITEM = 200;
const MAX_LIST = 30;
const MAX_NOTES = 2000;

export interface AdaptedRequest {
  canonical: DiagnoseRequest;
  medication: MedicationContext;
  /** How the input was read (defaults, coercions), for call B's processing_notes. Never patient text. */
  notes: string[];
}

function dedupe(items: Iterable<string>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of items) {
    const item = raw.trim();
    const key = item.toLowerCase();
    if (!item || seen.has(key)) continue;
    seen.add(key);
    out.push(item);
  }
  return out;
}

const shortList = (items: Iterable<string>) =>
  dedupe(items)
    .map((i) => clip(i, MAX_ITEM))
    .slice(0, MAX_LIST);

const SEVERITY_ALIASES: Record<string, DiagnoseRequest['severity']> = {
  mild: 'mild',
  low: 'mild',
  moderate: 'moderate',
  medium: 'moderate',
  severe: 'severe',
  high: 'severe',
};

function readSeverity(value: unknown): DiagnoseRequest['severity'] | undefined {
  const text = readText(value)?.toLowerCase();
  return text ? SEVERITY_ALIASES[text] : undefined;
}

function readOnset(value: unknown): DiagnoseRequest['onset'] | undefined {
  const text = readText(value)?.toLowerCase();
  if (!text) return undefined;
  if (/sudden|abrupt|acute/.test(text)) return 'sudden';
  if (/chronic|long[- ]standing|months|years/.test(text)) return 'chronic';
  if (/gradual|slow/.test(text)) return 'gradual';
  return undefined;
}

/** Free text never rules pregnancy out; it can only say "pregnant". */
const PREGNANT_TEXT =
  /\bpregnant\b|\bpositive pregnancy test\b|\bpregnancy test (?:was |is |came back )?positive\b/i;
const NOT_PREGNANT_TEXT = /\b(?:not|never|isn'?t|am not|no chance of being)\s+pregnant\b/i;
const GESTATION_TEXT = /\b(\d{1,2})\s*(?:weeks?|wks?)\s+pregnant\b/i;

function pregnancyFromText(text: string): { status: PregnancyStatus; weeks?: number } {
  if (!PREGNANT_TEXT.test(text) || (NOT_PREGNANT_TEXT.test(text) && !/positive/i.test(text)))
    return { status: 'unknown' };
  const weeks = Number(GESTATION_TEXT.exec(text)?.[1]);
  return Number.isFinite(weeks) && weeks <= 45 ? { status: 'pregnant', weeks } : { status: 'pregnant' };
}

function toCanonical(input: DiagnoseRequestInput, loc: Loc): DiagnoseRequest {
  const result = DiagnoseRequest.safeParse(input);
  if (result.success) return result.data;
  // Only reachable with input the legacy schema let through but the canonical one does not take.
  throw new LegacyValidationError(
    result.error.issues.map((issue) => ({
      type: 'value_error',
      loc,
      msg: `The request could not be read (${issue.path.join('.') || 'body'}: ${issue.message}).`,
    })),
  );
}

// ---------------------------------------------------------------------------------------------
// Call A

/** Call A → canonical. medical_history and additional_notes reach the engine (the old service dropped them). */
export function adaptDiagnosisRequest(req: LegacyDiagnosisRequest, loc: Loc = ['body']): AdaptedRequest {
  const history = dedupe(req.medical_history ?? []);
  const noteText = req.additional_notes?.trim() ?? '';
  const notes = [noteText, req.progression ? `Progression: ${req.progression}.` : '']
    .filter(Boolean)
    .join(' ');
  const pregnancy = pregnancyFromText([...req.symptoms, ...history, noteText].join('. '));
  const explicitAllergies = history.filter((h) => /allerg/i.test(h));
  const input: DiagnoseRequestInput = {
    patient: {
      age: req.patient_age,
      pregnancy_status: pregnancy.status,
      ...(pregnancy.weeks !== undefined ? { gestational_weeks: pregnancy.weeks } : {}),
    },
    symptoms: dedupe(req.symptoms).map((s) => clip(s, MAX_ITEM)),
    severity: readSeverity(req.severity_level ?? 'moderate'),
    duration: clip(req.duration.trim(), 50),
    ...(req.onset ? { onset: req.onset } : {}),
    ...(history.length ? { medical_history: shortList(history) } : {}),
    ...(explicitAllergies.length ? { allergies: shortList(explicitAllergies) } : {}),
    ...(notes ? { notes: clip(notes, MAX_NOTES) } : {}),
  };
  const canonical = toCanonical(input, loc);
  // The back end puts allergies, medicines and conditions into medical_history without labels, so any
  // drug named there (or in the notes) is treated as a possible allergy: it is never suggested.
  const possibleAllergies = [...history, noteText].filter(
    (t) => t && (/allerg/i.test(t) || classesMentioned(t).length > 0),
  );
  const medication: MedicationContext = {
    age: canonical.patient.age,
    pregnancy: canonical.patient.pregnancy_status,
    allergies: possibleAllergies,
    conditions: history,
    currentMedications: [],
  };
  return { canonical, medication, notes: [] };
}

function investigationsFor(level: TriageLevel, response: DiagnoseResponse): LegacyInvestigation[] {
  const top = response.differential[0];
  let items: LegacyInvestigation[] = response.recommended_investigations
    .filter((i) => i.name.trim())
    .map((i) => ({ name: i.name, priority: i.priority, reason: i.reason }));
  if (items.length === 0 && top) {
    items = top.recommended_investigations
      .filter((name) => name.trim())
      .map((name) => ({
        name,
        priority: isEmergency(level) ? 'high' : 'medium',
        reason: `To confirm or exclude ${top.condition}.`,
      }));
  }
  // The back end books an emergency consultation for a score below 0.5, and a video (not chat)
  // consultation when an investigation is high priority: both urgent levels carry one.
  if (!items.some((i) => i.priority === 'high')) {
    if (isEmergency(level)) {
      items.unshift({
        name: 'Urgent in-person assessment in an emergency department',
        priority: 'high',
        reason: 'The findings need examination and tests today; do not wait for an online consultation.',
      });
    } else if (level === 'consultation_24') {
      items.unshift({
        name: 'Clinical examination within 24 hours',
        priority: 'high',
        reason: 'The symptoms need a doctor to examine you within 24 hours.',
      });
    }
  }
  return items;
}

function followUpText(response: DiagnoseResponse): string {
  const level = response.triage.level;
  const flags = response.triage.red_flags.map((r) => r.description);
  return flags.length
    ? `${followUpRecommendation(level)} Warning signs found: ${flags.join('; ')}.`
    : followUpRecommendation(level);
}

/** A condition the red-flag rules say must not be missed. */
export interface MustNotMissCondition {
  readonly condition: string;
  readonly icd10: string;
}

function diagnosisName(
  top: DifferentialItem | undefined,
  level: TriageLevel,
  mustNotMiss: readonly MustNotMissCondition[],
): string {
  const name = top
    ? `${top.condition} (ICD-10 ${top.icd10})`
    : 'Assessment needed: no single likely cause identified';
  // In an emergency the must-not-miss conditions are named too, so nobody reads a benign top guess as reassurance.
  const others = isEmergency(level) ? mustNotMiss.filter((m) => m.icd10 !== top?.icd10) : [];
  if (others.length === 0) return name;
  const unique = [...new Map(others.map((m) => [m.icd10, m])).values()];
  return `${name}; urgently rule out: ${unique.map((m) => `${m.condition} (ICD-10 ${m.icd10})`).join(', ')}`;
}

/** Canonical answer → call A response. */
export function toLegacyDiagnosisResponse(
  response: DiagnoseResponse,
  adapted: AdaptedRequest,
  mustNotMiss: readonly MustNotMissCondition[] = [],
): LegacyDiagnosisResponse {
  const level = response.triage.level;
  const top = response.differential[0];
  const safety = assessMedicationSafety(adapted.medication);
  const { medications } = selfCareMedications(top?.icd10, level, adapted.medication, safety);
  return {
    diagnosis: diagnosisName(top, level, mustNotMiss),
    confidence_score: legacyConfidenceScore(level, top?.probability),
    suggested_investigations: investigationsFor(level, response),
    recommended_medications: medications,
    lifestyle_advice: withoutExcludedDrugs(response.advice, safety).kept,
    follow_up_recommendations: followUpText(response),
    disclaimer: response.disclaimer,
    timestamp: response.created_at,
    triage_level: level,
    urgency_level: urgencyLevel(level),
  };
}

// ---------------------------------------------------------------------------------------------
// Call B

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

  return {
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
  };
}

// ---------------------------------------------------------------------------------------------
// Validate

/** The call A symptom rule (2–100 characters after trimming), applied item by item. */
export function validateSymptoms(symptoms: readonly string[]) {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const s of symptoms) {
    const text = s.trim();
    if (text.length >= 2 && text.length <= 100) valid.push(text.toLowerCase());
    else invalid.push(s);
  }
  return {
    valid,
    invalid,
    valid_symptoms: valid,
    invalid_symptoms: invalid,
    total_symptoms: symptoms.length,
    valid_count: valid.length,
    invalid_count: invalid.length,
  };
}
