import { describe, expect, it } from 'vitest';
import { applySafetyLayer } from '../../../src/domain/diagnosis/merge.ts';
import type { Assessment } from '../../../src/domain/providers/types.ts';
import { evaluateRedFlags, type RedFlagEvaluation } from '../../../src/domain/red-flags/evaluate.ts';
import { request } from '../vocabulary/support.ts';

const selfCare = (differential: Assessment['differential']): Assessment => ({
  triageLevel: 'self_care',
  triageRationale: 'Looks like thrush.',
  differential,
  investigations: [],
  advice: ['Use an antifungal cream.'],
});
const item = (icd10: string, probability: number) => ({
  condition: icd10,
  icd10,
  probability,
  rationale: 'r',
  supporting_findings: [],
  recommended_investigations: [],
});
const NONE: RedFlagEvaluation = { fired: [], floor: null };

describe('applySafetyLayer', () => {
  it('raises a self-care answer to the red-flag floor and names the rules', () => {
    const flags = evaluateRedFlags(
      request({
        patient: { age: 28, pregnancy_status: 'pregnant', gestational_weeks: 6 },
        symptoms: ['pelvic pain', 'fainted'],
      }),
    );
    const safe = applySafetyLayer(selfCare([item('B37.31', 0.9)]), flags);
    expect(flags.floor).toBe('emergency_ambulance');
    expect(safe.triageLevel).toBe('emergency_ambulance');
    expect(safe.triageRationale).toContain('haemodynamic-instability');
  });

  it('adds must-not-miss conditions the provider left out, inside the cap', () => {
    const flags = evaluateRedFlags(
      request({
        patient: { age: 28, pregnancy_status: 'pregnant', gestational_weeks: 6 },
        symptoms: ['pelvic pain'],
      }),
    );
    const many = Array.from({ length: 10 }, (_, i) =>
      item(
        ['B37.31', 'N76.0', 'A59.01', 'A56.09', 'A54.03', 'A60.04', 'A63.0', 'N30.00', 'N94.4', 'N94.3'][i]!,
        0.09,
      ),
    );
    const safe = applySafetyLayer(selfCare(many), flags);
    expect(safe.differential.map((d) => d.icd10)).toContain('O00.90');
    expect(safe.differential.length).toBeLessThanOrEqual(10);
  });

  it('keeps only catalog codes, one per code, ranked by probability', () => {
    const safe = applySafetyLayer(
      selfCare([item('Z99.99', 0.8), item('N76.0', 0.1), item('B37.31', 0.3), item('B37.31', 0.2)]),
      NONE,
    );
    expect(safe.differential.map((d) => d.icd10)).toEqual(['B37.31', 'N76.0']);
  });

  it('leaves the level alone when no rule fired', () => {
    const safe = applySafetyLayer(selfCare([item('B37.31', 0.9)]), NONE);
    expect(safe.triageLevel).toBe('self_care');
    expect(safe.triageRationale).toBe('Looks like thrush.');
  });

  it('never lowers a more urgent provider answer', () => {
    const flags = evaluateRedFlags(request({ symptoms: ['bleeding after sex'] }));
    const safe = applySafetyLayer({ ...selfCare([item('C53.9', 0.5)]), triageLevel: 'emergency' }, flags);
    expect(safe.triageLevel).toBe('emergency');
  });

  it('leads the advice with urgent care when the rules raise the level to an emergency', () => {
    const flags = evaluateRedFlags(request({ symptoms: ['soaking a pad every hour'] }));
    const safe = applySafetyLayer(selfCare([item('N92.0', 0.9)]), flags);
    expect(safe.advice[0]).toMatch(/emergency|ambulance/i);
  });
});

describe('applySafetyLayer: the provider cannot contradict a level the rules raised', () => {
  const flag = (level: 'emergency' | 'consultation_24'): RedFlagEvaluation => ({
    fired: [{ id: 'test-rule', description: 'A test rule', level, mustNotMiss: [] }],
    floor: level,
  });
  const dismissive: Assessment = {
    ...selfCare([item('N94.6', 0.9)]),
    triageRationale: 'Nothing to worry about.',
    advice: [
      'Stay home, no need to see anyone.',
      'Try home remedies and wait and see.',
      'If it does not settle in a few days, book a routine appointment.',
      'Keep a diary of your symptoms.',
    ],
  };

  it.each(['emergency', 'consultation_24'] as const)(
    'raised to %s: the rules’ advice leads and every contradicting line goes',
    (level) => {
      const safe = applySafetyLayer(dismissive, flag(level));
      expect(safe.triageLevel).toBe(level);
      expect(safe.advice).toEqual([
        level === 'emergency'
          ? expect.stringMatching(/emergency department/)
          : expect.stringMatching(/within 24 hours/),
        'Keep a diary of your symptoms.',
      ]);
      expect(safe.triageRationale).toBe(`Urgency raised to "${level}" by red-flag rules: test-rule.`);
    },
  );

  it('keeps a booked-appointment timescale when the raise is only to a consultation', () => {
    const safe = applySafetyLayer(dismissive, { ...flag('emergency'), floor: 'consultation' });
    expect(safe.advice).toContain('If it does not settle in a few days, book a routine appointment.');
    expect(safe.advice).not.toContain('Stay home, no need to see anyone.');
  });

  it('leaves the provider’s advice alone when the rules did not change its level', () => {
    const safe = applySafetyLayer(dismissive, NONE);
    expect(safe.advice).toEqual(dismissive.advice);
    expect(safe.triageRationale).toBe('Nothing to worry about.');
  });

  it('names every item by the catalog, not by the provider', () => {
    const safe = applySafetyLayer(
      { ...dismissive, differential: [{ ...item('O00.90', 0.9), condition: 'Nothing serious' }] },
      NONE,
    );
    expect(safe.differential[0]?.condition).toBe('Ectopic pregnancy');
  });
});
