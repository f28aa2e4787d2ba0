import type { FindingId, Findings } from '../vocabulary/findings.ts';
import { RED_FLAG_RULE_DEFINITIONS } from './rules.ts';
import type { RedFlagRule, RuleTrigger } from './types.ts';
import { EMPTY } from '../empty.ts';

/**
 * The rules' triggers numbered once, with the findings that fill their slots indexed: a request names a
 * handful of findings, so the triggers none of whose slots it fills (most of them) are passed over without
 * checking each of their findings. Such a trigger cannot hold, and is two findings away or more when it
 * has two slots or more.
 */

export interface IndexedTrigger {
  readonly trigger: RuleTrigger;
  /** Position among every rule's triggers, in rule order. */
  readonly number: number;
  /** allOf findings plus anyOf groups: what must all be filled for the trigger to hold. */
  readonly slots: number;
}

export interface IndexedRule {
  readonly rule: RedFlagRule;
  readonly triggers: readonly IndexedTrigger[];
}

const TRIGGERS_OF_FINDING = new Map<FindingId, number[]>();
let count = 0;

/** Every rule, in RED_FLAG_RULE_DEFINITIONS's order, with its triggers numbered. */
export const INDEXED_RULES: readonly IndexedRule[] = RED_FLAG_RULE_DEFINITIONS.map((rule) => ({
  rule,
  triggers: rule.when.map((trigger) => {
    const number = count++;
    const ids = new Set([...(trigger.allOf ?? []), ...(trigger.anyOf ?? []).flat()]);
    for (const id of ids) TRIGGERS_OF_FINDING.set(id, [...(TRIGGERS_OF_FINDING.get(id) ?? []), number]);
    return { trigger, number, slots: (trigger.allOf?.length ?? 0) + (trigger.anyOf?.length ?? 0) };
  }),
}));

/**
 * By trigger number: whether a present finding fills at least one of its slots. Built per call and not kept on
 * the findings: a model call holds its request's findings while it waits, and this would be held with them.
 */
export function touchedTriggers(findings: Findings): readonly boolean[] {
  const touched = new Array<boolean>(count).fill(false);
  for (const id of findings.present) for (const n of TRIGGERS_OF_FINDING.get(id) ?? EMPTY) touched[n] = true;
  return touched;
}
