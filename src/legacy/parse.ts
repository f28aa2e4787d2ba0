/**
 * Parses legacy request bodies, wrapped (`{"diagnosis_request": …}`, `{"structured_request": …}`,
 * as the back end sends them) or flat, and reports errors with the `loc` FastAPI would have
 * written for the body the client actually sent.
 */
import type { z } from 'zod';
import { normalizeStrings } from '../domain/text/normalize.ts';
import { LegacyValidationError, missing, notAnObject, toFastApiDetail, type Loc } from './fastapi-errors.ts';
import type { FastApiValidationItem } from './schemas.ts';
import { integerFromString } from './lenient.ts';
import {
  LegacyDiagnosisRequest,
  StructuredRequest,
  type LegacyDiagnosisRequest as LegacyDiagnosisRequestT,
  type StructuredRequest as StructuredRequestT,
} from './schemas.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

export interface Unwrapped {
  value: unknown;
  wrapped: boolean;
  loc: Loc;
}

/** Takes the payload out of its wrapper when there is one; a flat body is the payload itself. */
export function unwrap(body: unknown, wrapperKey: string): Unwrapped {
  if (isObject(body) && wrapperKey in body) {
    return { value: body[wrapperKey], wrapped: true, loc: ['body', wrapperKey] };
  }
  return { value: body, wrapped: false, loc: ['body'] };
}

/** A required text that normalisation left too short (it was only invisible or format characters). */
function tooShortAfterNormalising(text: string, min: number, loc: Loc): FastApiValidationItem[] {
  if (text.length >= min) return [];
  return [
    {
      type: 'string_too_short',
      loc,
      msg: `String should have at least ${min} visible characters`,
      ctx: { min_length: min },
    },
  ];
}

function parseWith<T>(
  schema: z.ZodType<T>,
  body: unknown,
  wrapperKey: string,
  coerce: (o: Record<string, unknown>) => Record<string, unknown>,
): { data: T; wrapped: boolean; loc: Loc } {
  const { value, wrapped, loc } = unwrap(body, wrapperKey);
  if (value === undefined || value === null) throw new LegacyValidationError([missing(loc)]);
  if (!isObject(value)) throw new LegacyValidationError([notAnObject(loc)]);
  const input = coerce(value);
  const result = schema.safeParse(input);
  if (!result.success) throw new LegacyValidationError(toFastApiDetail(result.error.issues, input, loc));
  return { data: result.data, wrapped, loc };
}

/**
 * Call A body; throws LegacyValidationError (422). Limits are checked on the text as sent, then every
 * free-text field is normalised once (see domain/text/normalize.ts) before anything reads it.
 */
export function parseDiagnosisBody(body: unknown): { data: LegacyDiagnosisRequestT; wrapped: boolean } {
  const parsed = parseWith(LegacyDiagnosisRequest, body, 'diagnosis_request', (o) =>
    'patient_age' in o ? { ...o, patient_age: integerFromString(o.patient_age) } : o,
  );
  const data = normalizeStrings(parsed.data);
  const detail = data.symptoms.flatMap((s, i) =>
    tooShortAfterNormalising(s, 2, [...parsed.loc, 'symptoms', i]),
  );
  if (detail.length > 0) throw new LegacyValidationError(detail);
  return { data, wrapped: parsed.wrapped };
}

/**
 * Call B body; throws LegacyValidationError (422). Every section but the patient profile (whose
 * request_id is echoed back unchanged) is normalised once, after the limits were checked.
 */
export function parseStructuredBody(body: unknown): { data: StructuredRequestT; wrapped: boolean } {
  const parsed = parseWith(StructuredRequest, body, 'structured_request', (o) => {
    const profile = o.patient_profile;
    if (!isObject(profile) || !('age' in profile)) return o;
    return { ...o, patient_profile: { ...profile, age: integerFromString(profile.age) } };
  });
  const { patient_profile, ...sections } = parsed.data;
  const data = { ...normalizeStrings(sections), patient_profile };
  const detail = tooShortAfterNormalising(data.primary_complaint.main_symptom, 2, [
    ...parsed.loc,
    'primary_complaint',
    'main_symptom',
  ]);
  if (detail.length > 0) throw new LegacyValidationError(detail);
  return { data, wrapped: parsed.wrapped };
}

const MAX_VALIDATE_ITEMS = 100;

/** The validate route's body: a JSON array of strings (the Python service's form), or {"symptoms": [...]}. */
export function parseSymptomList(body: unknown): string[] {
  const { value, loc } = isObject(body) ? unwrap(body, 'symptoms') : { value: body, loc: ['body'] as Loc };
  if (value === undefined || value === null) throw new LegacyValidationError([missing(loc)]);
  if (!Array.isArray(value))
    throw new LegacyValidationError([{ type: 'list_type', loc, msg: 'Input should be a valid list' }]);
  if (value.length > MAX_VALIDATE_ITEMS) {
    throw new LegacyValidationError([
      {
        type: 'too_long',
        loc,
        msg: `List should have at most ${MAX_VALIDATE_ITEMS} items after validation, not ${value.length}`,
        ctx: { field_type: 'List', max_length: MAX_VALIDATE_ITEMS, actual_length: value.length },
      },
    ]);
  }
  const detail = value.flatMap((item, i) =>
    typeof item === 'string'
      ? []
      : [{ type: 'string_type', loc: [...loc, i], msg: 'Input should be a valid string' }],
  );
  if (detail.length > 0) throw new LegacyValidationError(detail);
  // The call A length rule is checked on the strings as sent (validateSymptoms); they are read normalised.
  return value as string[];
}
