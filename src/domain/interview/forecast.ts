import { CONDITIONS } from '../knowledge-base/catalog.ts';
import { BASE_RATE, presentProbability } from '../knowledge-base/likelihood.ts';
import { deniedWeight, NO_EVIDENCE_PENALTY, type ScoredCondition } from '../knowledge-base/score.ts';
import type { ConditionDef } from '../knowledge-base/types.ts';
import type { FindingId } from '../vocabulary/findings.ts';

/** How an answer about one finding moves one condition's score. */
interface Effect {
  readonly condition: ConditionDef;
  /** Score change when present (the condition's weight for the finding). */
  readonly present: number;
  /** Score change when denied. */
  readonly absent: number;
}

// Built once: for each finding, only the conditions that weigh it (most weigh nothing, so updates are sparse).
const EFFECTS: ReadonlyMap<FindingId, readonly Effect[]> = (() => {
  const map = new Map<FindingId, Effect[]>();
  for (const condition of CONDITIONS) {
    const ids = new Set([
      ...Object.keys(condition.findings),
      ...Object.keys(condition.denied ?? {}),
    ] as FindingId[]);
    for (const id of ids) {
      const effect = { condition, present: condition.findings[id] ?? 0, absent: deniedWeight(condition, id) };
      map.set(id, [...(map.get(id) ?? []), effect]);
    }
  }
  return map;
})();

export interface AnswerForecast {
  /** Expected reduction in entropy (bits) over the condition posterior. */
  readonly gain: number;
  /** Predicted chance of a "yes". */
  readonly pYes: number;
}

interface Term {
  /** exp(score − max score): the unnormalised posterior weight. */
  readonly weight: number;
  readonly log2Weight: number;
  readonly probability: number;
  /** No present finding supports it yet, so a first one also lifts the no-evidence penalty. */
  readonly unsupported: boolean;
}

/**
 * Expected information gain of questions over one posterior, in one pass over the conditions a
 * finding touches: the entropy of the updated posterior is log2 Z − (Σ u·log2 u) / Z, and only the
 * touched terms of Z and Σ u·log2 u change.
 */
export class AnswerForecaster {
  private readonly terms = new Map<ConditionDef, Term>();
  private readonly z: number;
  private readonly t: number;
  readonly entropy: number;

  constructor(scored: readonly ScoredCondition[]) {
    const max = Math.max(...scored.map((s) => s.score));
    let z = 0;
    let t = 0;
    for (const s of scored) {
      const log2Weight = (s.score - max) / Math.LN2;
      const weight = Math.exp(s.score - max);
      this.terms.set(s.condition, {
        weight,
        log2Weight,
        probability: s.probability,
        unsupported: s.supporting.length === 0,
      });
      z += weight;
      t += weight * log2Weight;
    }
    this.z = z;
    this.t = t;
    this.entropy = Math.log2(z) - t / z;
  }

  forecast(id: FindingId): AnswerForecast {
    let zYes = this.z;
    let tYes = this.t;
    let zNo = this.z;
    let tNo = this.t;
    let pYes = BASE_RATE;
    for (const e of EFFECTS.get(id) ?? []) {
      const term = this.terms.get(e.condition);
      if (!term) continue; // ruled out in this patient's context
      const yes = e.present + (e.present > 0 && term.unsupported ? -NO_EVIDENCE_PENALTY : 0);
      const base = term.weight * term.log2Weight;
      const uYes = term.weight * Math.exp(yes);
      zYes += uYes - term.weight;
      tYes += uYes * (term.log2Weight + yes / Math.LN2) - base;
      const uNo = term.weight * Math.exp(e.absent);
      zNo += uNo - term.weight;
      tNo += uNo * (term.log2Weight + e.absent / Math.LN2) - base;
      pYes += term.probability * (presentProbability(e.present) - BASE_RATE);
    }
    const p = Math.min(1, Math.max(0, pYes));
    const hYes = Math.log2(zYes) - tYes / zYes;
    const hNo = Math.log2(zNo) - tNo / zNo;
    return { gain: this.entropy - (p * hYes + (1 - p) * hNo), pYes: p };
  }
}
