/**
 * Call A (POST /api/v1/diagnosis/) ⇄ canonical: the legacy body becomes a DiagnoseRequest, and the canonical
 * answer is re-expressed with the triage carried by confidence_score and a high-priority investigation.
 */
import {
  type DiagnoseRequestInput,
  type DiagnoseResponse,
  type DifferentialItem,
} from '../domain/schemas/diagnose.ts';
import { normalizeText } from '../domain/text/normalize.ts';
import { isEmergency, type TriageLevel } from '../domain/triage.ts';
import { type Loc } from './fastapi-errors.ts';
import { fitLegacyDiagnosisResponse } from './response-size.ts';
import { clip } from './lenient.ts';
import {
  assessMedicationSafety,
  classesMentioned,
  selfCareMedications,
  withoutExcludedDrugs,
  type MedicationContext,
} from '../domain/medications/safety.ts';
import type { LegacyDiagnosisRequest, LegacyDiagnosisResponse, LegacyInvestigation } from './schemas.ts';
import { followUpRecommendation, legacyConfidenceScore, urgencyLevel } from './triage-mapping.ts';

import {
  MAX_ITEM,
  MAX_NOTES,
  pregnancyFromText,
  readSeverity,
  shortList,
  toCanonical,
  type AdaptedRequest,
} from './adapt-common.ts';
import { dedupe } from '../domain/text/dedupe.ts';

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

export function investigationsFor(level: TriageLevel, response: DiagnoseResponse): LegacyInvestigation[] {
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
  return fitLegacyDiagnosisResponse({
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
  });
}

// ---------------------------------------------------------------------------------------------
// Validate

/**
 * The call A symptom rule (2–100 characters as sent, after trimming; at least 2 once normalised),
 * applied item by item. Valid items come back normalised and lower-cased, as call A reads them.
 */
export function validateSymptoms(symptoms: readonly string[]) {
  const valid: string[] = [];
  const invalid: string[] = [];
  for (const s of symptoms) {
    const sent = s.trim();
    const text = normalizeText(sent);
    if (sent.length >= 2 && sent.length <= 100 && text.length >= 2) valid.push(text.toLowerCase());
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
