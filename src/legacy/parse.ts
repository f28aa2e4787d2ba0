/**
 * Parses legacy request bodies, wrapped (`{"diagnosis_request": …}`, `{"structured_request": …}`,
 * as the back end sends them) or flat, and reports errors with the `loc` FastAPI would have
 * written for the body the client actually sent.
 */
import type { z } from 'zod';
import { LegacyValidationError, missing, notAnObject, toFastApiDetail, type Loc } from './fastapi-errors.ts';
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

function parseWith<T>(
  schema: z.ZodType<T>,
  body: unknown,
  wrapperKey: string,
  normalize: (o: Record<string, unknown>) => Record<string, unknown>,
): { data: T; wrapped: boolean } {
  const { value, wrapped, loc } = unwrap(body, wrapperKey);
  if (value === undefined || value === null) throw new LegacyValidationError([missing(loc)]);
  if (!isObject(value)) throw new LegacyValidationError([notAnObject(loc)]);
  const input = normalize(value);
  const result = schema.safeParse(input);
  if (!result.success) throw new LegacyValidationError(toFastApiDetail(result.error.issues, input, loc));
  return { data: result.data, wrapped };
}

/** Call A body; throws LegacyValidationError (422). */
export function parseDiagnosisBody(body: unknown): { data: LegacyDiagnosisRequestT; wrapped: boolean } {
  return parseWith(LegacyDiagnosisRequest, body, 'diagnosis_request', (o) =>
    'patient_age' in o ? { ...o, patient_age: integerFromString(o.patient_age) } : o,
  );
}

/** Call B body; throws LegacyValidationError (422). */
export function parseStructuredBody(body: unknown): { data: StructuredRequestT; wrapped: boolean } {
  return parseWith(StructuredRequest, body, 'structured_request', (o) => {
    const profile = o.patient_profile;
    if (!isObject(profile) || !('age' in profile)) return o;
    return { ...o, patient_profile: { ...profile, age: integerFromString(profile.age) } };
  });
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
  return value as string[];
}
