/** What call A and call B adapters share: list hygiene, lenient enums, pregnancy from text, the canonical parse. */
import { DiagnoseRequest, type DiagnoseRequestInput } from '../domain/schemas/diagnose.ts';

import { LegacyValidationError, type Loc } from './fastapi-errors.ts';
import { clip, readText } from './lenient.ts';
import { dedupe } from '../domain/text/dedupe.ts';
import { type MedicationContext } from '../domain/medications/safety.ts';

type PregnancyStatus = DiagnoseRequest['patient']['pregnancy_status'];

export const MAX_SYMPTOMS = 30;
export const MAX_ITEM = 200;
export const MAX_LIST = 30;
export const MAX_NOTES = 2000;

export interface AdaptedRequest {
  canonical: DiagnoseRequest;
  medication: MedicationContext;
  /** How the input was read (defaults, coercions), for call B's processing_notes. Never patient text. */
  notes: string[];
}

export const shortList = (items: Iterable<string>) =>
  dedupe(items)
    .map((i) => clip(i, MAX_ITEM))
    .slice(0, MAX_LIST);

export const SEVERITY_ALIASES: Record<string, DiagnoseRequest['severity']> = {
  mild: 'mild',
  low: 'mild',
  moderate: 'moderate',
  medium: 'moderate',
  severe: 'severe',
  high: 'severe',
};

export function readSeverity(value: unknown): DiagnoseRequest['severity'] | undefined {
  const text = readText(value)?.toLowerCase();
  return text ? SEVERITY_ALIASES[text] : undefined;
}

export function readOnset(value: unknown): DiagnoseRequest['onset'] | undefined {
  const text = readText(value)?.toLowerCase();
  if (!text) return undefined;
  if (/sudden|abrupt|acute/.test(text)) return 'sudden';
  if (/chronic|long[- ]standing|months|years/.test(text)) return 'chronic';
  if (/gradual|slow/.test(text)) return 'gradual';
  return undefined;
}

/** Free text never rules pregnancy out; it can only say "pregnant". */
export const PREGNANT_TEXT =
  /\bpregnant\b|\bpositive pregnancy test\b|\bpregnancy test (?:was |is |came back )?positive\b/i;
export const NOT_PREGNANT_TEXT = /\b(?:not|never|isn'?t|am not|no chance of being)\s+pregnant\b/i;
export const GESTATION_TEXT = /\b(\d{1,2})\s*(?:weeks?|wks?)\s+pregnant\b/i;

export function pregnancyFromText(text: string): { status: PregnancyStatus; weeks?: number } {
  if (!PREGNANT_TEXT.test(text) || (NOT_PREGNANT_TEXT.test(text) && !/positive/i.test(text)))
    return { status: 'unknown' };
  const weeks = Number(GESTATION_TEXT.exec(text)?.[1]);
  return Number.isFinite(weeks) && weeks <= 45 ? { status: 'pregnant', weeks } : { status: 'pregnant' };
}

export function toCanonical(input: DiagnoseRequestInput, loc: Loc): DiagnoseRequest {
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
