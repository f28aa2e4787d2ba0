import type { DiagnoseRequest } from '../schemas/diagnose.ts';
import { mostUrgent, urgencyRank, type TriageLevel } from '../triage.ts';
import { findingsFor, type FindingId, type Findings } from '../vocabulary/findings.ts';
import { INDEXED_RULES, touchedTriggers, type IndexedTrigger } from './trigger-index.ts';
import type { RuleTrigger, VitalThreshold } from './types.ts';
import { EMPTY } from '../empty.ts';

export interface MustNotMiss {
  readonly icd10: string;
  readonly condition: string;
}

export interface FiredRule {
  readonly id: string;
  readonly description: string;
  readonly level: TriageLevel;
  readonly mustNotMiss: readonly MustNotMiss[];
}

export interface RedFlagEvaluation {
  readonly fired: readonly FiredRule[];
  /** The least urgent level the answer may carry; null when no rule fired. */
  readonly floor: TriageLevel | null;
}

function crosses(request: DiagnoseRequest, t: VitalThreshold): boolean {
  const value = request.vitals?.[t.vital];
  if (value === undefined) return false;
  switch (t.op) {
    case '<':
      return value < t.value;
    case '<=':
      return value <= t.value;
    case '>':
      return value > t.value;
    case '>=':
      return value >= t.value;
  }
}

/** Whether a trigger's context holds: no vetoing finding, and pregnancy, gestation, age, vitals, onset, severity. */
// Loops rather than closures: this runs for every trigger of every rule, on every request, twice.
export function contextHolds(trigger: RuleTrigger, request: DiagnoseRequest, findings: Findings): boolean {
  const present = findings.present;
  if (trigger.noneOf && anyPresent(trigger.noneOf, present)) return false;
  if (trigger.pregnancy && !anyPresent(trigger.pregnancy, present)) return false;
  if (trigger.menopause && !present.has(trigger.menopause)) return false;
  if (trigger.gestationalWeeks && findings.gestationalWeeks !== undefined) {
    const { atLeast, below } = trigger.gestationalWeeks;
    if (atLeast !== undefined && findings.gestationalWeeks < atLeast) return false;
    if (below !== undefined && findings.gestationalWeeks >= below) return false;
  }
  const age = request.patient.age;
  if (trigger.age?.min !== undefined && age < trigger.age.min) return false;
  if (trigger.age?.max !== undefined && age > trigger.age.max) return false;
  if (trigger.vitals && !anyCrossed(request, trigger.vitals)) return false;
  if (trigger.onset && request.onset !== trigger.onset) return false;
  if (trigger.severity && request.severity !== trigger.severity) return false;
  return true;
}

function anyPresent(ids: readonly FindingId[], present: ReadonlySet<FindingId>): boolean {
  for (const id of ids) if (present.has(id)) return true;
  return false;
}

function anyCrossed(request: DiagnoseRequest, thresholds: readonly VitalThreshold[]): boolean {
  for (const t of thresholds) if (crosses(request, t)) return true;
  return false;
}

/**
 * A trigger's first unfilled finding slot: a missing `allOf` finding, else an `anyOf` group with no
 * present finding (any one of its findings would fill it); undefined when every slot is filled.
 */
export function firstMissingSlot(trigger: RuleTrigger, findings: Findings): readonly FindingId[] | undefined {
  const present = findings.present;
  for (const id of trigger.allOf ?? EMPTY) if (!present.has(id)) return [id];
  for (const group of trigger.anyOf ?? EMPTY) if (!anyPresent(group, present)) return group;
  return undefined;
}

/**
 * How many of a trigger's finding slots are unfilled, counting no further than `limit`: whether
 * one more finding would fire it, without building anything for every trigger.
 */
export function countMissingSlots(trigger: RuleTrigger, findings: Findings, limit = Infinity): number {
  const present = findings.present;
  let missing = 0;
  for (const id of trigger.allOf ?? EMPTY) if (!present.has(id) && ++missing >= limit) return missing;
  for (const group of trigger.anyOf ?? EMPTY)
    if (!anyPresent(group, present) && ++missing >= limit) return missing;
  return missing;
}

function holds(trigger: RuleTrigger, request: DiagnoseRequest, findings: Findings): boolean {
  return countMissingSlots(trigger, findings, 1) === 0 && contextHolds(trigger, request, findings);
}

function anyHolds(
  triggers: readonly IndexedTrigger[],
  touched: readonly boolean[],
  request: DiagnoseRequest,
  findings: Findings,
): boolean {
  for (const t of triggers) {
    // No slot filled: it cannot hold (a trigger without finding slots is checked on its context alone).
    if (t.slots > 0 && !touched[t.number]) continue;
    if (holds(t.trigger, request, findings)) return true;
  }
  return false;
}

/**
 * Runs every red-flag rule. Findings a patient denies ("no bleeding") are never present, so they
 * cannot fire a rule. The floor is the most urgent level among the fired rules.
 */
export function evaluateRedFlags(request: DiagnoseRequest): RedFlagEvaluation {
  const findings = findingsFor(request);
  const fired: FiredRule[] = [];
  let floor: TriageLevel | null = null;
  const touched = touchedTriggers(findings);
  for (const { rule, triggers } of INDEXED_RULES) {
    if (!anyHolds(triggers, touched, request, findings)) continue;
    fired.push({
      id: rule.id,
      description: rule.description,
      level: rule.level,
      mustNotMiss: rule.mustNotMiss,
    });
    floor = mostUrgent(floor, rule.level);
  }
  // Most urgent first, so clients can show the reason for the level at the top.
  fired.sort((a, b) => urgencyRank(b.level) - urgencyRank(a.level));
  return { fired, floor };
}
