import { isKnownIcd10 } from '../icd10/catalog.ts';
import type { DifferentialItem } from '../schemas/diagnose.ts';
import { conditionName } from './condition-names.ts';

export const MAX_DIFFERENTIAL = 10;

function clampProbability(p: number): number {
  if (!Number.isFinite(p)) return 0;
  return Math.min(1, Math.max(0, p));
}

/**
 * Makes a differential safe to return whatever produced it: only catalog ICD-10 codes, each named by
 * the catalog (never by the model), one item per code, probabilities clamped to 0..1, ranked by
 * probability (non-increasing), capped.
 */
export function sanitizeDifferential(items: readonly DifferentialItem[]): DifferentialItem[] {
  const byCode = new Map<string, DifferentialItem>();
  for (const item of items) {
    if (!isKnownIcd10(item.icd10)) continue;
    const clamped = {
      ...item,
      condition: conditionName(item.icd10) ?? item.condition,
      probability: clampProbability(item.probability),
    };
    const seen = byCode.get(item.icd10);
    if (!seen || seen.probability < clamped.probability) byCode.set(item.icd10, clamped);
  }
  return [...byCode.values()].sort((a, b) => b.probability - a.probability).slice(0, MAX_DIFFERENTIAL);
}
