import { describe, expect, it } from 'vitest';
import { evaluateRedFlags } from '../../../src/domain/red-flags/evaluate.ts';
import type { DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import { urgencyRank, type TriageLevel } from '../../../src/domain/triage.ts';
import { request } from '../vocabulary/support.ts';

export type RuleInput = Partial<DiagnoseRequestInput> & { symptoms: string[] };
export const fired = (input: RuleInput) => evaluateRedFlags(request(input)).fired.map((r) => r.id);
export const floor = (input: RuleInput) => evaluateRedFlags(request(input)).floor;

/** A rule, the patients' words it must fire on (at its level or above) and the look-alikes it must not. */
export interface RuleCase {
  readonly rule: string;
  readonly level: TriageLevel;
  readonly fires: readonly RuleInput[];
  readonly quiet: readonly RuleInput[];
}

/** One test per wording: the rule fires on each `fires` input and stays quiet on each `quiet` one. */
export function describeRuleCases(title: string, cases: readonly RuleCase[]): void {
  describe(title, () => {
    describe.each(cases)('$rule', ({ rule, level, fires, quiet }) => {
      it.each(fires.map((input) => [input.symptoms.join(' / '), input] as const))(
        'fires on "%s"',
        (_, input) => {
          expect(fired(input)).toContain(rule);
          expect(urgencyRank(floor(input)!)).toBeGreaterThanOrEqual(urgencyRank(level));
        },
      );
      it.each(quiet.map((input) => [input.symptoms.join(' / '), input] as const))(
        'stays quiet on "%s"',
        (_, input) => {
          expect(fired(input)).not.toContain(rule);
        },
      );
    });
  });
}
