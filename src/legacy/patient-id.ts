import { createHmac } from 'node:crypto';

/**
 * The back end's X-Request-ID is `ai_agent_<patientId>_<ms>_<attempt>`: the patient's record id in
 * clear, whatever its form (24-hex, short like P7731, a UUID), with or without X-Patient-ID. The
 * request id goes into every log line, so the patient id inside it is replaced by a keyed pseudonym
 * (same patient → same pseudonym for a given salt, so lines still correlate).
 */
const BACKEND_REQUEST_ID = /^(ai_agent_)(.+?)(_\d{10,}(?:_\d+)?)$/i;

export function pseudonymizePatientId(patientId: string, salt: string): string {
  return `p${createHmac('sha256', salt).update(patientId.toLowerCase()).digest('hex').slice(0, 16)}`;
}

/**
 * The ids in X-Patient-ID. Node joins a header sent twice with ", ", so the value is split rather
 * than matched whole.
 */
export function patientIds(header: string | string[] | undefined): string[] {
  const values = Array.isArray(header) ? header : header === undefined ? [] : [header];
  const ids = values.flatMap((v) => v.split(',')).map((v) => v.trim());
  return [...new Set(ids.filter(Boolean))];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The request id with every patient id in it (X-Patient-ID's values, any length, or the back end's pattern) pseudonymized. */
export function requestIdWithoutPatientId(
  requestId: string,
  patientIdHeader: string | string[] | undefined,
  salt: string,
): string {
  let out = requestId.replace(BACKEND_REQUEST_ID, (_m, head: string, id: string, tail: string) => {
    return `${head}${pseudonymizePatientId(id, salt)}${tail}`;
  });
  // Longest first, so an id that contains another is replaced whole.
  for (const id of patientIds(patientIdHeader).sort((a, b) => b.length - a.length)) {
    out = out.replace(new RegExp(escapeRegExp(id), 'gi'), pseudonymizePatientId(id, salt));
  }
  return out;
}
