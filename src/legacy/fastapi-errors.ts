/**
 * Validation errors in the shape FastAPI (Pydantic v2) wrote them, which the back end and other
 * FastAPI clients expect: 422 `{"detail": [{"type", "loc", "msg", "ctx"?}]}`. The rejected value
 * (`input`) is deliberately left out: it is patient data and clients log error bodies.
 */
import type { z } from 'zod';
import type { FastApiValidationItem } from './schemas.ts';

export type Loc = Array<string | number>;

/** A request the legacy routes reject with 422 and FastAPI's error list. */
export class LegacyValidationError extends Error {
  readonly statusCode = 422;
  readonly detail: FastApiValidationItem[];

  constructor(detail: FastApiValidationItem[]) {
    super('The request is invalid.');
    this.name = 'LegacyValidationError';
    this.detail = detail;
  }
}

export function missing(loc: Loc): FastApiValidationItem {
  return { type: 'missing', loc, msg: 'Field required' };
}

export function notAnObject(loc: Loc): FastApiValidationItem {
  return {
    type: 'model_attributes_type',
    loc,
    msg: 'Input should be a valid dictionary or object to extract fields from',
  };
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value: unknown = input;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

const TYPE_ERRORS: Record<string, { type: string; msg: string }> = {
  string: { type: 'string_type', msg: 'Input should be a valid string' },
  number: { type: 'float_type', msg: 'Input should be a valid number' },
  int: { type: 'int_type', msg: 'Input should be a valid integer' },
  boolean: { type: 'bool_type', msg: 'Input should be a valid boolean' },
  array: { type: 'list_type', msg: 'Input should be a valid list' },
  object: {
    type: 'model_attributes_type',
    msg: 'Input should be a valid dictionary or object to extract fields from',
  },
  record: { type: 'dict_type', msg: 'Input should be a valid dictionary' },
};

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const quoteList = (values: readonly unknown[]) => {
  const quoted = values.map((v) => `'${String(v)}'`);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}` : (quoted[0] ?? '');
};

function fromIssue(issue: z.core.$ZodIssue, input: unknown, prefix: Loc): FastApiValidationItem {
  const loc: Loc = [...prefix, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))];
  const value = valueAt(input, issue.path);
  switch (issue.code) {
    case 'invalid_type': {
      if (value === undefined) return missing(loc);
      if (issue.expected === 'int' && typeof value === 'number') {
        return {
          type: 'int_from_float',
          loc,
          msg: 'Input should be a valid integer, got a number with a fractional part',
        };
      }
      const known = TYPE_ERRORS[issue.expected] ?? { type: `${issue.expected}_type`, msg: issue.message };
      return { ...known, loc };
    }
    case 'too_small': {
      const min = Number(issue.minimum);
      if (issue.origin === 'string') {
        return {
          type: 'string_too_short',
          loc,
          msg: `String should have at least ${plural(min, 'character')}`,
          ctx: { min_length: min },
        };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        const actual = Array.isArray(value) ? value.length : 0;
        return {
          type: 'too_short',
          loc,
          msg: `List should have at least ${plural(min, 'item')} after validation, not ${actual}`,
          ctx: { field_type: 'List', min_length: min, actual_length: actual },
        };
      }
      return issue.inclusive === false
        ? { type: 'greater_than', loc, msg: `Input should be greater than ${min}`, ctx: { gt: min } }
        : {
            type: 'greater_than_equal',
            loc,
            msg: `Input should be greater than or equal to ${min}`,
            ctx: { ge: min },
          };
    }
    case 'too_big': {
      const max = Number(issue.maximum);
      if (issue.origin === 'string') {
        return {
          type: 'string_too_long',
          loc,
          msg: `String should have at most ${plural(max, 'character')}`,
          ctx: { max_length: max },
        };
      }
      if (issue.origin === 'array' || issue.origin === 'set') {
        const actual = Array.isArray(value) ? value.length : 0;
        return {
          type: 'too_long',
          loc,
          msg: `List should have at most ${plural(max, 'item')} after validation, not ${actual}`,
          ctx: { field_type: 'List', max_length: max, actual_length: actual },
        };
      }
      return issue.inclusive === false
        ? { type: 'less_than', loc, msg: `Input should be less than ${max}`, ctx: { lt: max } }
        : {
            type: 'less_than_equal',
            loc,
            msg: `Input should be less than or equal to ${max}`,
            ctx: { le: max },
          };
    }
    case 'invalid_value': {
      const expected = quoteList(issue.values);
      const msg =
        issue.message && !issue.message.startsWith('Invalid') ? issue.message : `Input should be ${expected}`;
      return { type: 'enum', loc, msg, ctx: { expected } };
    }
    case 'invalid_union':
      if (value === undefined) return missing(loc);
      return { type: 'value_error', loc, msg: issue.message };
    case 'invalid_format':
      return { type: 'string_pattern_mismatch', loc, msg: issue.message };
    default:
      return { type: 'value_error', loc, msg: issue.message };
  }
}

/** Zod issues as FastAPI's `detail` list; `prefix` is where the parsed value sits (e.g. ["body", "diagnosis_request"]). */
export function toFastApiDetail(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  prefix: Loc,
): FastApiValidationItem[] {
  return issues.map((issue) => fromIssue(issue, input, prefix));
}
