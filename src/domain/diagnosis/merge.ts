import type { Assessment } from '../providers/types.ts';
import type { RedFlagEvaluation } from '../red-flags/evaluate.ts';
import type { DifferentialItem, Investigation } from '../schemas/diagnose.ts';
import { mostUrgent } from '../triage.ts';
import { RULE_ADVICE, contradictsLevel } from './advice.ts';
import { conditionName } from './condition-names.ts';
import { MAX_DIFFERENTIAL, sanitizeDifferential } from './sanitize.ts';

/** Probability given to a must-not-miss condition the provider left out: visible, never dominant. */
const MUST_NOT_MISS_PROBABILITY = 0.05;

/**
 * Applies the red-flag rules to a provider's assessment: the rules set the floor of the triage level,
 * and every must-not-miss condition they imply appears in the differential.
 */
export function applySafetyLayer(assessment: Assessment, redFlags: RedFlagEvaluation): Assessment {
  const level = mostUrgent(redFlags.floor, assessment.triageLevel);
  const differential = sanitizeDifferential(assessment.differential);
  const present = new Set(differential.map((d) => d.icd10));
  const added: DifferentialItem[] = [];
  for (const rule of redFlags.fired) {
    for (const miss of rule.mustNotMiss) {
      if (present.has(miss.icd10)) continue;
      present.add(miss.icd10);
      added.push({
        condition: conditionName(miss.icd10) ?? miss.condition,
        icd10: miss.icd10,
        probability: Math.min(
          MUST_NOT_MISS_PROBABILITY,
          differential.at(-1)?.probability ?? MUST_NOT_MISS_PROBABILITY,
        ),
        rationale: `Must not be missed: red-flag rule "${rule.id}" fired (${rule.description}).`,
        supporting_findings: [rule.description],
        recommended_investigations: [],
      });
    }
  }
  // Must-not-miss items go inside the cap, displacing the least likely provider items.
  const room = Math.max(0, MAX_DIFFERENTIAL - added.length);
  const merged = [...differential.slice(0, room), ...added];

  const raised = level !== assessment.triageLevel;
  // When the rules raised the level, they speak first, and nothing the provider said may contradict them.
  const rules = `Urgency raised to "${level}" by red-flag rules: ${redFlags.fired.map((r) => r.id).join(', ')}.`;
  const providerRationale =
    raised && contradictsLevel(assessment.triageRationale, level) ? '' : assessment.triageRationale;
  const rationale = raised ? `${rules} ${providerRationale}`.trim() : assessment.triageRationale;
  const advice = raised
    ? [
        ...(level === 'self_care' ? [] : [RULE_ADVICE[level]]),
        ...assessment.advice.filter((line) => !contradictsLevel(line, level)),
      ]
    : assessment.advice;

  return {
    ...assessment,
    triageLevel: level,
    triageRationale: rationale,
    differential: merged,
    investigations: dedupeInvestigations(assessment.investigations),
    advice,
  };
}

function dedupeInvestigations(items: readonly Investigation[]): Investigation[] {
  const seen = new Set<string>();
  return items.filter((i) => {
    const key = i.name.toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
