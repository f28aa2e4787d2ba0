import { describe, expect, it } from 'vitest';
import { boundAssessment } from '../../../src/domain/diagnosis/bound.ts';
import { applySafetyLayer } from '../../../src/domain/diagnosis/merge.ts';
import { MAX_RESPONSE_BYTES, fitDiagnoseResponse } from '../../../src/domain/diagnosis/response-size.ts';
import { icd10Codes } from '../../../src/domain/icd10/catalog.ts';
import type { Assessment } from '../../../src/domain/providers/types.ts';
import { RED_FLAG_RULE_DEFINITIONS } from '../../../src/domain/red-flags/rules.ts';
import type { RedFlagEvaluation } from '../../../src/domain/red-flags/evaluate.ts';
import { DISCLAIMER, type DiagnoseResponse } from '../../../src/domain/schemas/diagnose.ts';
import { MAX_PHRASE_CHARS, MAX_UNRECOGNIZED } from '../../../src/domain/vocabulary/coverage.ts';

/** Three UTF-8 bytes per character: the most a capped text can weigh. */
const wide = (n: number) => '診'.repeat(n);

/** Every rule fired at once, and a provider that filled every field to its cap with three-byte text. */
function worstCase(): DiagnoseResponse {
  const redFlags: RedFlagEvaluation = {
    fired: RED_FLAG_RULE_DEFINITIONS.map((r) => ({
      id: r.id,
      description: r.description,
      level: r.level,
      mustNotMiss: r.mustNotMiss,
    })),
    floor: 'emergency_ambulance',
  };
  const provided: Assessment = {
    triageLevel: 'self_care',
    triageRationale: wide(5000),
    differential: icd10Codes()
      .slice(0, 10)
      .map((icd10, i) => ({
        condition: wide(500),
        icd10,
        probability: 1 - i / 20,
        rationale: wide(5000),
        supporting_findings: Array.from({ length: 50 }, (_, j) => `${j}${wide(500)}`),
        recommended_investigations: Array.from({ length: 50 }, (_, j) => `${j}${wide(500)}`),
      })),
    investigations: Array.from({ length: 50 }, (_, j) => ({
      name: `${j}${wide(500)}`,
      priority: 'high' as const,
      reason: wide(5000),
    })),
    advice: Array.from({ length: 20_000 }, (_, j) => `${j}${wide(500)}`),
  };
  const safe = applySafetyLayer(boundAssessment(provided), redFlags); // as the OpenAI provider does
  return {
    id: '00000000-0000-4000-8000-000000000000',
    created_at: new Date().toISOString(),
    triage: {
      level: safe.triageLevel,
      red_flags: redFlags.fired.map((r) => ({ id: r.id, description: r.description, level: r.level })),
      rationale: safe.triageRationale,
    },
    differential: safe.differential,
    recommended_investigations: safe.investigations,
    advice: safe.advice,
    unrecognized: Array.from({ length: MAX_UNRECOGNIZED }, () => wide(MAX_PHRASE_CHARS)),
    coverage: 0,
    interview: {
      questions: [],
      should_stop: true,
      stop_reason: 'emergency',
      explanation: 'Emergency: no more questions; act on the advice now.',
      questions_answered: 0,
      question_limit: 8,
    },
    engine: { provider: 'openai', model: 'gpt-4o-mini', fallback: false },
    disclaimer: DISCLAIMER,
  };
}

describe('fitDiagnoseResponse', () => {
  it(`keeps the worst case under ${MAX_RESPONSE_BYTES} bytes without cutting what decides care`, () => {
    const before = worstCase();
    expect(Buffer.byteLength(JSON.stringify(before))).toBeGreaterThan(MAX_RESPONSE_BYTES); // the fit is needed
    const after = fitDiagnoseResponse(before);
    expect(Buffer.byteLength(JSON.stringify(after))).toBeLessThanOrEqual(MAX_RESPONSE_BYTES);
    expect(after.triage.level).toBe('emergency_ambulance');
    expect(after.triage.red_flags).toEqual(before.triage.red_flags);
    expect(after.differential.map((d) => [d.icd10, d.condition, d.probability])).toEqual(
      before.differential.map((d) => [d.icd10, d.condition, d.probability]),
    );
    expect(after.advice[0]).toMatch(/ambulance/i);
    expect(after.disclaimer).toBe(DISCLAIMER);
    expect(after.coverage).toBe(0);
    expect(after.interview).toEqual(before.interview);
    expect(after.unrecognized.length).toBeGreaterThan(0); // shortened, not dropped
  });
});
