/**
 * Caps on what a provider's assessment may carry into an answer: item counts and a byte length for every
 * free-text field, the text made plain (no markup, links, phone numbers or control characters). The OpenAI
 * provider applies it to every answer; the knowledge base's own text is reviewed data and within the caps.
 */
import type { Assessment } from '../providers/types.ts';
import type { DifferentialItem, Investigation } from '../schemas/diagnose.ts';
import { cleanModelText } from '../text/model-text.ts';

/** Documented in the README ("Model output"); bytes are UTF-8 bytes inside the JSON answer. */
export const OUTPUT_LIMITS = {
  triageRationaleBytes: 600,
  itemRationaleBytes: 300,
  findingsPerItem: 6,
  findingBytes: 100,
  investigationsPerItem: 4,
  investigations: 8,
  investigationNameBytes: 100,
  investigationReasonBytes: 200,
  advice: 8,
  adviceBytes: 300,
} as const;

const L = OUTPUT_LIMITS;

/** Cleans each line, drops the empty ones and duplicates, keeps at most `max`. */
function lines(items: readonly string[], max: number, bytes: number): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (out.length >= max) break;
    const text = cleanModelText(item, bytes);
    const key = text.toLowerCase();
    if (!text || seen.has(key)) continue;
    seen.add(key);
    out.push(text);
  }
  return out;
}

function boundItem(item: DifferentialItem): DifferentialItem {
  return {
    ...item,
    rationale: cleanModelText(item.rationale, L.itemRationaleBytes),
    supporting_findings: lines(item.supporting_findings, L.findingsPerItem, L.findingBytes),
    recommended_investigations: lines(
      item.recommended_investigations,
      L.investigationsPerItem,
      L.investigationNameBytes,
    ),
  };
}

function boundInvestigations(items: readonly Investigation[]): Investigation[] {
  const out: Investigation[] = [];
  for (const item of items) {
    if (out.length >= L.investigations) break;
    const name = cleanModelText(item.name, L.investigationNameBytes);
    if (name) out.push({ ...item, name, reason: cleanModelText(item.reason, L.investigationReasonBytes) });
  }
  return out;
}

/** The assessment with every free-text field plain and capped; the differential's size is capped by sanitize. */
export function boundAssessment(assessment: Assessment): Assessment {
  return {
    ...assessment,
    triageRationale: cleanModelText(assessment.triageRationale, L.triageRationaleBytes),
    differential: assessment.differential.map(boundItem),
    investigations: boundInvestigations(assessment.investigations),
    advice: lines(assessment.advice, L.advice, L.adviceBytes),
  };
}
