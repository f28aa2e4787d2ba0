import { CONDITIONS } from '../knowledge-base/catalog.ts';
import { BASE_RATE, presentProbability } from '../knowledge-base/likelihood.ts';
import { deniedWeight, NO_EVIDENCE_PENALTY, type ScoredCondition } from '../knowledge-base/score.ts';
import type { FindingId } from '../vocabulary/findings.ts';
import { EMPTY } from '../empty.ts';

/** How an answer about one finding moves one condition's score, with what forecast() needs precomputed. */
interface Effect {
  /** The condition's place in CONDITIONS. */
  readonly index: number;
  /** Score change when present (the condition's weight for the finding). */
  readonly present: number;
  /** The same, when it is the condition's first supporting finding (the no-evidence penalty lifts too). */
  readonly firstSupport: number;
  /** Score change when denied. */
  readonly absent: number;
  readonly expPresent: number;
  readonly expFirstSupport: number;
  readonly expAbsent: number;
  /** presentProbability(present) − BASE_RATE: how a likely condition moves the chance of a "yes". */
  readonly lift: number;
}

// Built once: for each finding, only the conditions that weigh it (most weigh nothing, so updates are sparse).
const EFFECTS: ReadonlyMap<FindingId, readonly Effect[]> = (() => {
  const map = new Map<FindingId, Effect[]>();
  CONDITIONS.forEach((condition, index) => {
    const ids = new Set([
      ...Object.keys(condition.findings),
      ...Object.keys(condition.denied ?? {}),
    ] as FindingId[]);
    for (const id of ids) {
      const present = condition.findings[id] ?? 0;
      const absent = deniedWeight(condition, id);
      const firstSupport = present + (present > 0 ? -NO_EVIDENCE_PENALTY : 0);
      const effect: Effect = {
        index,
        present,
        firstSupport,
        absent,
        expPresent: Math.exp(present),
        expFirstSupport: Math.exp(firstSupport),
        expAbsent: Math.exp(absent),
        lift: presentProbability(present) - BASE_RATE,
      };
      map.set(id, [...(map.get(id) ?? []), effect]);
    }
  });
  return map;
})();

export interface AnswerForecast {
  /** Expected reduction in entropy (bits) over the condition posterior. */
  readonly gain: number;
  /** Predicted chance of a "yes". */
  readonly pYes: number;
}

/**
 * Expected information gain of questions over one posterior, in one pass over the conditions a
 * finding touches: the entropy of the updated posterior is log2 Z − (Σ u·log2 u) / Z, and only the
 * touched terms of Z and Σ u·log2 u change. Each condition's weight, exp(score − max score), and
 * probability are read from its scored entry, found by condition index.
 */
export class AnswerForecaster {
  /** The scored entry of each condition by its index in CONDITIONS; none when ruled out in this context. */
  private readonly byIndex: (ScoredCondition | undefined)[] = new Array<ScoredCondition | undefined>(
    CONDITIONS.length,
  );
  private readonly max: number;
  private readonly z: number;
  private readonly t: number;
  readonly entropy: number;

  constructor(scored: readonly ScoredCondition[]) {
    let max = -Infinity;
    for (const s of scored) if (s.score > max) max = s.score;
    let z = 0;
    let t = 0;
    for (const s of scored) {
      this.byIndex[s.index] = s;
      z += s.weight;
      t += s.weight * ((s.score - max) / Math.LN2);
    }
    this.max = max;
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
    for (const e of EFFECTS.get(id) ?? EMPTY) {
      const s = this.byIndex[e.index];
      if (s === undefined) continue;
      const weight = s.weight;
      const log2Weight = (s.score - this.max) / Math.LN2;
      // No present finding supports it yet: a "yes" would also lift the no-evidence penalty.
      const first = s.supporting.length === 0;
      const yes = first ? e.firstSupport : e.present;
      const base = weight * log2Weight;
      const uYes = weight * (first ? e.expFirstSupport : e.expPresent);
      zYes += uYes - weight;
      tYes += uYes * (log2Weight + yes / Math.LN2) - base;
      const uNo = weight * e.expAbsent;
      zNo += uNo - weight;
      tNo += uNo * (log2Weight + e.absent / Math.LN2) - base;
      pYes += s.probability * e.lift;
    }
    const p = Math.min(1, Math.max(0, pYes));
    const hYes = Math.log2(zYes) - tYes / zYes;
    const hNo = Math.log2(zNo) - tNo / zNo;
    return { gain: this.entropy - (p * hYes + (1 - p) * hNo), pYes: p };
  }
}
