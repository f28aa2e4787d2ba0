import { createHmac } from 'node:crypto';

/**
 * The back end's X-Request-ID is `ai_agent_<patientId>_<ms>_<attempt>`: the patient's record id in
 * clear. The request id goes into every log line, so the patient id inside it is replaced by a keyed
 * pseudonym (same patient → same pseudonym for a given salt, so lines still correlate).
 */
const BACKEND_REQUEST_ID = /^(ai_agent_)([0-9a-f]{24})(_)/i;

export function pseudonymizePatientId(patientId: string, salt: string): string {
  return `p${createHmac('sha256', salt).update(patientId.toLowerCase()).digest('hex').slice(0, 16)}`;
}

/** The request id with any patient id in it (the X-Patient-ID value, or the back end's pattern) pseudonymized. */
export function requestIdWithoutPatientId(
  requestId: string,
  patientIdHeader: string | undefined,
  salt: string,
): string {
  let out = requestId.replace(BACKEND_REQUEST_ID, (_m, head: string, id: string, tail: string) => {
    return `${head}${pseudonymizePatientId(id, salt)}${tail}`;
  });
  const patientId = patientIdHeader?.trim();
  if (patientId && patientId.length >= 6) {
    const escaped = patientId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    out = out.replace(new RegExp(escaped, 'gi'), pseudonymizePatientId(patientId, salt));
  }
  return out;
}
