import { describe, expect, it } from 'vitest';
import { AnswerForecaster } from '../../../src/domain/interview/forecast.ts';
import { presentProbability } from '../../../src/domain/knowledge-base/likelihood.ts';
import {
  deniedWeight,
  NO_EVIDENCE_PENALTY,
  scoreConditions,
} from '../../../src/domain/knowledge-base/score.ts';
import { DiagnoseRequest } from '../../../src/domain/schemas/diagnose.ts';
import { extractFindings, type FindingId } from '../../../src/domain/vocabulary/findings.ts';

/** Entropy in bits of the softmax of some scores, computed the long way. */
function entropy(scores: number[]): number {
  const max = Math.max(...scores);
  const ps = scores.map((s) => Math.exp(s - max));
  const z = ps.reduce((a, b) => a + b, 0);
  return -ps.map((p) => p / z).reduce((h, p) => (p > 0 ? h + p * Math.log2(p) : h), 0);
}

describe('AnswerForecaster', () => {
  const findings = extractFindings(
    DiagnoseRequest.parse({ patient: { age: 24 }, symptoms: ['pain low down', 'some discharge'] }),
  );
  const scored = scoreConditions(findings);
  const forecaster = new AnswerForecaster(scored);

  it.each(['fever', 'fishy_odour', 'missed_period', 'dysuria', 'unilateral_pain'] as FindingId[])(
    'matches a full recomputation of both answers for %s',
    (id) => {
      const yes = scored.map(
        (s) =>
          s.score +
          (s.condition.findings[id] ?? 0) +
          ((s.condition.findings[id] ?? 0) > 0 && s.supporting.length === 0 ? -NO_EVIDENCE_PENALTY : 0),
      );
      const no = scored.map((s) => s.score + deniedWeight(s.condition, id));
      const pYes = scored.reduce(
        (sum, s) => sum + s.probability * presentProbability(s.condition.findings[id] ?? 0),
        0,
      );
      const expected = entropy(scored.map((s) => s.score)) - (pYes * entropy(yes) + (1 - pYes) * entropy(no));
      const got = forecaster.forecast(id);
      expect(got.pYes).toBeCloseTo(pYes, 9);
      expect(got.gain).toBeCloseTo(expected, 9);
    },
  );

  it('expects nothing from a finding no condition weighs', () => {
    expect(forecaster.forecast('not_a_finding' as FindingId).gain).toBeCloseTo(0, 12);
  });
});
