import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isKnownFinding } from '../../../src/domain/interview/findings-catalog.ts';
import { contextHolds, countMissingSlots, evaluateRedFlags } from '../../../src/domain/red-flags/evaluate.ts';
import { RED_FLAG_RULE_DEFINITIONS } from '../../../src/domain/red-flags/rules.ts';
import { INDEXED_RULES, touchedTriggers } from '../../../src/domain/red-flags/trigger-index.ts';
import { findingsFor } from '../../../src/domain/vocabulary/findings.ts';
import { request } from '../vocabulary/support.ts';

/** Every finding some trigger's slots name, that a client can also answer directly (interview evidence). */
const SLOT_IDS = [
  ...new Set(
    RED_FLAG_RULE_DEFINITIONS.flatMap((r) =>
      r.when.flatMap((t) => [...(t.allOf ?? []), ...(t.anyOf ?? []).flat()]),
    ),
  ),
].filter(isKnownFinding);

const cases = fc.record({
  present: fc.subarray(SLOT_IDS, { maxLength: 8 }),
  age: fc.integer({ min: 12, max: 80 }),
  pregnant: fc.boolean(),
});

const requestWith = ({ present, age, pregnant }: { present: string[]; age: number; pregnant: boolean }) =>
  request({
    symptoms: ['feeling unwell'],
    patient: { age, pregnancy_status: pregnant ? 'pregnant' : 'not_pregnant' },
    evidence: present.map((id) => ({ id, choice: 'present' as const })),
  });

describe('red-flag trigger index', () => {
  it('lists every rule and trigger in order, numbered once', () => {
    expect(INDEXED_RULES.map((r) => r.rule)).toEqual(RED_FLAG_RULE_DEFINITIONS);
    const numbers = INDEXED_RULES.flatMap((r) => r.triggers.map((t) => t.number));
    expect(numbers).toEqual(numbers.map((_, i) => i));
    for (const { rule, triggers } of INDEXED_RULES) expect(triggers.map((t) => t.trigger)).toEqual(rule.when);
  });

  it('marks a trigger untouched only when it is a slot or more away, two or more when it has two', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const findings = findingsFor(requestWith(c));
        const touched = touchedTriggers(findings);
        for (const { triggers } of INDEXED_RULES)
          for (const { trigger, number, slots } of triggers) {
            if (touched[number]) continue;
            expect(countMissingSlots(trigger, findings)).toBe(slots);
          }
      }),
      { numRuns: 300 },
    );
  });

  it('fires exactly the rules a check of every trigger fires', () => {
    fc.assert(
      fc.property(cases, (c) => {
        const req = requestWith(c);
        const findings = findingsFor(req);
        const expected = RED_FLAG_RULE_DEFINITIONS.filter((rule) =>
          rule.when.some((t) => countMissingSlots(t, findings) === 0 && contextHolds(t, req, findings)),
        ).map((r) => r.id);
        expect(
          evaluateRedFlags(req)
            .fired.map((r) => r.id)
            .sort(),
        ).toEqual(expected.sort());
      }),
      { numRuns: 300 },
    );
  });
});
