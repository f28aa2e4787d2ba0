import type { DiagnoseResponse } from '../schemas/diagnose.ts';
import { fitJson, type JsonPath, type Protection } from '../text/fit-json.ts';

/** Every route's answer stays under this many bytes (documented in the README and the OpenAPI document). */
export const MAX_RESPONSE_BYTES = 16 * 1024;

// The interview is the service's own bounded text (at most three questions), and clients answer by its ids.
const KEEP_TOP = new Set(['id', 'created_at', 'engine', 'disclaimer', 'interview']);
const KEEP_ITEM = new Set(['condition', 'icd10', 'probability']);

/** What the size bound may never cut: the level, the red flags, the differential's items and codes. */
function protection(path: JsonPath): Protection {
  const [top, second, third] = path;
  if (path.length === 1 && KEEP_TOP.has(String(top))) return 'keep';
  if (top === 'triage' && (second === 'level' || second === 'red_flags')) return 'keep';
  if (top === 'differential') {
    if (path.length === 1) return 'keep-items';
    if (KEEP_ITEM.has(String(third))) return 'keep';
  }
  if (top === 'recommended_investigations' && third === 'priority') return 'keep';
  return undefined;
}

/** The answer within MAX_RESPONSE_BYTES: the longest texts and lists lose detail first. */
export function fitDiagnoseResponse(response: DiagnoseResponse): DiagnoseResponse {
  return fitJson(response, MAX_RESPONSE_BYTES, protection);
}
