import { CONDITIONS } from '../knowledge-base/catalog.ts';
import { BASE_RATE, presentProbability } from '../knowledge-base/likelihood.ts';
import { deniedWeight, NO_EVIDENCE_PENALTY, type ScoredCondition } from '../knowledge-base/score.ts';
import type { ConditionDef } from '../knowledge-base/types.ts';
import type { FindingId } from '../vocabulary/findings.ts';

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

const CONDITION_INDEX: ReadonlyMap<ConditionDef, number> = new Map(CONDITIONS.map((c, i) => [c, i]));

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
  /** By condition index; absent when the condition is ruled out in this patient's context. */
  private readonly terms: (Term | undefined)[] = new Array<Term | undefined>(CONDITIONS.length);
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
      this.terms[CONDITION_INDEX.get(s.condition)!] = {
        weight,
        log2Weight,
        probability: s.probability,
        unsupported: s.supporting.length === 0,
      };
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
      const term = this.terms[e.index];
      if (!term) continue; // ruled out in this patient's context
      const first = term.unsupported;
      const yes = first ? e.firstSupport : e.present;
      const base = term.weight * term.log2Weight;
      const uYes = term.weight * (first ? e.expFirstSupport : e.expPresent);
      zYes += uYes - term.weight;
      tYes += uYes * (term.log2Weight + yes / Math.LN2) - base;
      const uNo = term.weight * e.expAbsent;
      zNo += uNo - term.weight;
      tNo += uNo * (term.log2Weight + e.absent / Math.LN2) - base;
      pYes += term.probability * e.lift;
    }
    const p = Math.min(1, Math.max(0, pYes));
    const hYes = Math.log2(zYes) - tYes / zYes;
    const hNo = Math.log2(zNo) - tNo / zNo;
    return { gain: this.entropy - (p * hYes + (1 - p) * hNo), pYes: p };
  }
}
