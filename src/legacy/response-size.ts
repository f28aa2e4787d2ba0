/**
 * The legacy answers keep the canonical size bound (MAX_RESPONSE_BYTES): they are built from a bounded
 * canonical answer, but also echo what the client sent (allergies, medicines), which a body can repeat
 * thousands of times. What the back end acts on is never cut: scores, levels, the high-priority
 * investigation, the request id, the diagnosis name and the medicines.
 */
import { MAX_RESPONSE_BYTES } from '../domain/diagnosis/response-size.ts';
import { fitJson, type JsonPath, type Protection } from '../domain/text/fit-json.ts';
import type { LegacyDiagnosisResponse, StructuredResponse } from './schemas.ts';

const KEEP_A = new Set([
  'diagnosis',
  'confidence_score',
  'recommended_medications',
  'disclaimer',
  'timestamp',
  'triage_level',
  'urgency_level',
]);

function callAProtection(path: JsonPath): Protection {
  const [top, , field] = path;
  if (path.length === 1 && KEEP_A.has(String(top))) return 'keep';
  if (top === 'suggested_investigations') {
    if (path.length === 1) return 'keep-items';
    if (field === 'priority') return 'keep';
  }
  return undefined;
}

const KEEP_B = new Set([
  'request_id',
  'patient_age',
  'confidence_score',
  'disclaimer',
  'timestamp',
  'triage_level',
]);

function callBProtection(path: JsonPath): Protection {
  const [top, second, third] = path;
  if (path.length === 1 && KEEP_B.has(String(top))) return 'keep';
  if (top === 'risk_assessment' && (second === 'urgency_level' || second === 'red_flags')) return 'keep';
  if (top === 'possible_diagnoses' || top === 'recommended_investigations') {
    if (path.length === 1) return 'keep-items';
    if (third !== 'description' && third !== 'reason') return 'keep';
  }
  if (top === 'treatment_recommendations' && second === 'safe_medications') return 'keep';
  return undefined;
}

export function fitLegacyDiagnosisResponse(response: LegacyDiagnosisResponse): LegacyDiagnosisResponse {
  return fitJson(response, MAX_RESPONSE_BYTES, callAProtection);
}

export function fitStructuredResponse(response: StructuredResponse): StructuredResponse {
  return fitJson(response, MAX_RESPONSE_BYTES, callBProtection);
}
