import { ICD10_CATALOG } from '../icd10/catalog.ts';
import { CONDITIONS } from '../knowledge-base/catalog.ts';

/** The service's name for each ICD-10 code: the knowledge base's, else the ICD-10 catalog's title. */
const NAMES: ReadonlyMap<string, string> = new Map([
  ...[...ICD10_CATALOG.values()].map((e) => [e.code, e.title] as const),
  ...CONDITIONS.map((c) => [c.icd10, c.name] as const),
]);

/** A differential item is named by its code, never by the model's string ("Nothing serious" for O00.90). */
export function conditionName(icd10: string): string | undefined {
  return NAMES.get(icd10);
}
