import { memoOn } from '../memo.ts';
import type { DifferentialItem, Investigation } from '../schemas/diagnose.ts';
import { mostUrgent, urgencyRank, type TriageLevel } from '../triage.ts';
import { SELF_CARE_MIN_COVERAGE } from '../vocabulary/coverage.ts';
import { findingLabel, type FindingId, type Findings } from '../vocabulary/findings.ts';
import { CONDITIONS } from './catalog.ts';
import { impliedDeniedWeight } from './likelihood.ts';
import type { ConditionDef } from './types.ts';

/**
 * Naive-Bayes style scoring a clinician can follow: log(prior × context multipliers) plus the sum of
 * the log-likelihood weights of the findings present (and of those explicitly denied), turned into
 * probabilities with a softmax over every candidate condition.
 */

export const MAX_ITEMS = 10;
/** Items below this probability are dropped (the top item is always kept). */
export const MIN_PROBABILITY = 0.01;
/** Conditions at or above this probability set the knowledge base's triage level. */
export const TRIAGE_PROBABILITY = 0.2;
export const MAX_INVESTIGATIONS = 8;
export const MAX_ADVICE = 5;
/**
 * Log-weight for a condition none of whose findings is present: the presentation is then poorly
 * explained by it, whatever its prior (stops common conditions outranking a rare one with a hallmark).
 */
export const NO_EVIDENCE_PENALTY = -1.5;
/** Investigations are taken from conditions at or above this probability. */
const INVESTIGATION_PROBABILITY = 0.1;

/** Weights keyed by a finding's slot (see SLOTS), so scoring reads a typed array instead of hashing ids. */
interface CompiledWeights {
  readonly ids: readonly FindingId[];
  readonly slots: Int32Array;
  readonly weights: Float64Array;
}

interface CompiledCondition {
  readonly def: ConditionDef;
  readonly logPrior: number;
  /** Where the condition's name sorts among all names (localeCompare), for tie-breaks without collation. */
  readonly nameRank: number;
  readonly context: CompiledWeights;
  readonly findings: CompiledWeights;
  readonly denied: CompiledWeights;
}

const entries = (w: ConditionDef['findings'] | undefined) =>
  Object.entries(w ?? {}) as unknown as readonly (readonly [FindingId, number])[];

/**
 * The weights a denial carries: the condition's own where it defines one, otherwise the weight implied
 * by how often the condition produces the finding (so "no bleeding" counts against a miscarriage).
 */
export function deniedWeight(def: ConditionDef, id: FindingId): number {
  const explicit = def.denied?.[id];
  if (explicit !== undefined) return explicit;
  const weight = def.findings[id] ?? 0;
  return weight > 0 ? impliedDeniedWeight(weight) : 0;
}

function withImpliedDenials(def: ConditionDef): readonly (readonly [FindingId, number])[] {
  const ids = new Set([...entries(def.denied), ...entries(def.findings)].map(([id]) => id));
  return [...ids].map((id) => [id, deniedWeight(def, id)] as const).filter(([, weight]) => weight !== 0);
}

/** A small integer per finding id the knowledge base weighs. */
const SLOTS = new Map<FindingId, number>();

function compileWeights(list: readonly (readonly [FindingId, number])[]): CompiledWeights {
  const slots = new Int32Array(list.length);
  list.forEach(([id], i) => {
    let slot = SLOTS.get(id);
    if (slot === undefined) SLOTS.set(id, (slot = SLOTS.size));
    slots[i] = slot;
  });
  return { ids: list.map(([id]) => id), slots, weights: Float64Array.from(list, ([, w]) => w) };
}

const byName = [...new Set(CONDITIONS.map((c) => c.name))].sort((a, b) => a.localeCompare(b));
/** Names that collate equal share a rank, so the tie-break orders exactly as localeCompare does. */
const NAME_RANK = new Map<string, number>();
byName.forEach((name, i) => {
  const previous = byName[i - 1];
  NAME_RANK.set(
    name,
    previous !== undefined && previous.localeCompare(name) === 0 ? NAME_RANK.get(previous)! : i,
  );
});

const COMPILED: readonly CompiledCondition[] = CONDITIONS.map((def) => ({
  def,
  logPrior: Math.log(def.prior),
  nameRank: NAME_RANK.get(def.name)!,
  context: compileWeights(entries(def.context)),
  // Strongest first, so supporting findings come out in order of weight.
  findings: compileWeights([...entries(def.findings)].sort((a, b) => b[1] - a[1])),
  denied: compileWeights(withImpliedDenials(def)),
}));

/** One flag per slot: set for the request's present findings while it is scored, cleared after (synchronous). */
const PRESENT = new Uint8Array(SLOTS.size);

/**
 * Per finding slot, which conditions weigh it and where in their own list: a request names a handful of
 * findings, so scoring visits those entries instead of every weight of every condition.
 */
interface SlotIndex {
  /** Entries of slot s are start[s] .. start[s + 1] - 1. */
  readonly start: Int32Array;
  readonly condition: Int32Array;
  readonly position: Int32Array;
}

function slotIndex(lists: readonly CompiledWeights[]): SlotIndex {
  const start = new Int32Array(SLOTS.size + 1);
  for (const list of lists) for (const slot of list.slots) start[slot + 1]! += 1;
  for (let s = 0; s < SLOTS.size; s++) start[s + 1]! += start[s]!;
  const fill = start.slice(0, SLOTS.size);
  const condition = new Int32Array(start[SLOTS.size]!);
  const position = new Int32Array(start[SLOTS.size]!);
  lists.forEach((list, c) =>
    list.slots.forEach((slot, i) => {
      const at = fill[slot]!++;
      condition[at] = c;
      position[at] = i;
    }),
  );
  return { start, condition, position };
}

const FINDINGS_INDEX = slotIndex(COMPILED.map((c) => c.findings));
const DENIED_INDEX = slotIndex(COMPILED.map((c) => c.denied));

/**
 * Which positions of each condition's list a request hits, in ascending order, so weights are added in
 * list order (the same sums, to the last bit, as walking every list). Reused: scoring is synchronous.
 */
class Hits {
  readonly count = new Int32Array(COMPILED.length);
  private readonly stride: number;
  private readonly positions: Int32Array;

  constructor(lists: readonly CompiledWeights[]) {
    this.stride = Math.max(1, ...lists.map((l) => l.slots.length));
    this.positions = new Int32Array(COMPILED.length * this.stride);
  }

  collect(index: SlotIndex, slots: readonly number[]): void {
    this.count.fill(0);
    for (const slot of slots) {
      for (let e = index.start[slot]!; e < index.start[slot + 1]!; e++) {
        const c = index.condition[e]!;
        // Insertion keeps each condition's few positions sorted.
        let k = c * this.stride + this.count[c]!++;
        const position = index.position[e]!;
        while (k > c * this.stride && this.positions[k - 1]! > position) {
          this.positions[k] = this.positions[k - 1]!;
          k--;
        }
        this.positions[k] = position;
      }
    }
  }

  at(c: number, n: number): number {
    return this.positions[c * this.stride + n]!;
  }
}

const FINDING_HITS = new Hits(COMPILED.map((c) => c.findings));
const DENIED_HITS = new Hits(COMPILED.map((c) => c.denied));

/** The slots of the findings in the set that the knowledge base weighs (a set holds each id once). */
function slotsOf(ids: ReadonlySet<FindingId>): number[] {
  const out: number[] = [];
  for (const id of ids) {
    const slot = SLOTS.get(id);
    if (slot !== undefined) out.push(slot);
  }
  return out;
}

export interface ScoredCondition {
  readonly condition: ConditionDef;
  /** The condition's place in CONDITIONS. */
  readonly index: number;
  readonly score: number;
  /** exp(score − the top score): the unnormalised posterior weight the probability is made from. */
  readonly weight: number;
  readonly probability: number;
  /** Present findings with a positive weight, strongest first. */
  readonly supporting: readonly FindingId[];
  /** Present or denied findings that argued against it. */
  readonly against: readonly FindingId[];
}

const SCORED = Symbol('scored');

/** scoreConditions, memoised per findings object: the provider and the interview both need it. */
export function scoredFor(findings: Findings): readonly ScoredCondition[] {
  return memoOn(SCORED, findings, scoreConditions);
}

/**
 * A scored condition as built: its probability is set once every score is known, and it carries its name's
 * rank for the tie-break (an extra field callers never read).
 */
interface Scoring extends Omit<ScoredCondition, 'weight' | 'probability'> {
  weight: number;
  probability: number;
  readonly nameRank: number;
}

/** Shared by every condition with nothing for or against it (most of them), so none allocates its own. */
const NONE: FindingId[] = [];
Object.freeze(NONE);

function added(list: FindingId[], id: FindingId): FindingId[] {
  if (list === NONE) return [id];
  list.push(id);
  return list;
}

/** Every candidate condition (prior above zero in this context), most probable first. */
export function scoreConditions(findings: Findings): ScoredCondition[] {
  const presentSlots = slotsOf(findings.present);
  FINDING_HITS.collect(FINDINGS_INDEX, presentSlots);
  DENIED_HITS.collect(DENIED_INDEX, slotsOf(findings.negated));
  for (const slot of presentSlots) PRESENT[slot] = 1;
  try {
    return scoreWithHits(PRESENT);
  } finally {
    for (const slot of presentSlots) PRESENT[slot] = 0;
  }
}

/** The scores from the hits collected for this request, turned into probabilities, most probable first. */
function scoreWithHits(present: Uint8Array): ScoredCondition[] {
  const scored: Scoring[] = [];
  let max = -Infinity;
  for (let ci = 0; ci < COMPILED.length; ci++) {
    const c = COMPILED[ci]!;
    let multiplier = 1;
    const context = c.context;
    for (let i = 0; i < context.slots.length; i++)
      if (present[context.slots[i]!]) multiplier *= context.weights[i]!;
    if (multiplier <= 0) continue;
    // log(1) is exactly 0, and most conditions have no context factor present: skip the call.
    let score = multiplier === 1 ? c.logPrior : c.logPrior + Math.log(multiplier);
    let supporting = NONE;
    let against = NONE;
    const weighted = c.findings;
    for (let n = 0; n < FINDING_HITS.count[ci]!; n++) {
      const i = FINDING_HITS.at(ci, n);
      const weight = weighted.weights[i]!;
      score += weight;
      if (weight > 0) supporting = added(supporting, weighted.ids[i]!);
      else against = added(against, weighted.ids[i]!);
    }
    const denied = c.denied;
    for (let n = 0; n < DENIED_HITS.count[ci]!; n++) {
      const i = DENIED_HITS.at(ci, n);
      const weight = denied.weights[i]!;
      score += weight;
      if (weight < 0) against = added(against, denied.ids[i]!);
    }
    if (supporting.length === 0) score += NO_EVIDENCE_PENALTY;
    if (score > max) max = score;
    scored.push({
      condition: c.def,
      index: ci,
      score,
      weight: 0,
      probability: 0,
      supporting,
      against,
      nameRank: c.nameRank,
    });
  }
  let total = 0;
  for (const s of scored) total += s.weight = Math.exp(s.score - max);
  for (const s of scored) s.probability = s.weight / total;
  return sortByProbability(scored);
}

/** Whether a ranks before b: more probable, then by name (as localeCompare orders them). */
function before(a: Scoring, b: Scoring): boolean {
  return a.probability > b.probability || (a.probability === b.probability && a.nameRank < b.nameRank);
}

/**
 * Most probable first, equal ones in their catalogue order: the order a stable sort by
 * (b.probability − a.probability || a.nameRank − b.nameRank) gives. A binary insertion sort of ~100
 * items with the comparison inlined costs a fraction of Array#sort calling a comparator.
 */
function sortByProbability(scored: Scoring[]): Scoring[] {
  for (let i = 1; i < scored.length; i++) {
    const item = scored[i]!;
    let low = 0;
    let high = i;
    // First place whose item ranks after this one: equal items keep their order (stable).
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (before(item, scored[middle]!)) high = middle;
      else low = middle + 1;
    }
    for (let j = i; j > low; j--) scored[j] = scored[j - 1]!;
    scored[low] = item;
  }
  return scored;
}

/** Rounded down so that the listed probabilities never sum to more than 1. */
function floor3(p: number): number {
  return Math.floor(p * 1000) / 1000;
}

function rationale(s: ScoredCondition): string {
  const why = s.supporting.slice(0, 4).map(findingLabel);
  const against = s.against.slice(0, 2).map(findingLabel);
  const base = why.length
    ? `Supported by ${why.join(', ')}.`
    : "Listed on how common it is for this patient's age and pregnancy status; no specific finding points to it.";
  return against.length ? `${base} Less likely given ${against.join(', ')}.` : base;
}

export interface KnowledgeBaseAnswer {
  readonly triageLevel: TriageLevel;
  readonly triageRationale: string;
  readonly differential: DifferentialItem[];
  readonly investigations: Investigation[];
  readonly advice: string[];
  readonly scored: readonly ScoredCondition[];
}

/** Why the text was not understood well enough for self-care advice, or null when it was. */
function notUnderstood(findings: Findings): string | null {
  const { coverage, recognisedWords } = findings.understanding;
  if (recognisedWords === 0) return 'none of the described symptoms could be matched to known findings';
  if (coverage < SELF_CARE_MIN_COVERAGE) {
    return `only ${Math.round(coverage * 100)}% of the description could be matched to known findings`;
  }
  return null;
}

const PRIORITY_RANK = { high: 0, medium: 1, low: 2 } as const;

export function diagnoseFromFindings(findings: Findings): KnowledgeBaseAnswer {
  const scored = scoredFor(findings);
  const kept = scored.filter((s, i) => i === 0 || s.probability >= MIN_PROBABILITY).slice(0, MAX_ITEMS);

  const differential: DifferentialItem[] = kept.map((s) => ({
    condition: s.condition.name,
    icd10: s.condition.icd10,
    probability: floor3(s.probability),
    rationale: rationale(s),
    supporting_findings: s.supporting.slice(0, 6).map(findingLabel),
    recommended_investigations: s.condition.investigations.slice(0, 3).map((i) => i.name),
  }));

  // Triage: the most urgent default level among conditions carrying a substantial probability;
  // the top condition always counts, however flat the distribution.
  const weighty = kept.filter((s, i) => i === 0 || s.probability >= TRIAGE_PROBABILITY);
  let level: TriageLevel = 'self_care';
  let driver = kept[0]!;
  for (const s of weighty) {
    if (urgencyRank(s.condition.triage) > urgencyRank(level)) driver = s;
    level = mostUrgent(level, s.condition.triage);
  }
  const top = kept[0]!;
  let triageRationale =
    `Knowledge-base estimate: most likely ${top.condition.name} (${Math.round(top.probability * 100)}%). ` +
    `Triage "${level}" follows ${driver.condition.name}, the most urgent condition with at least ` +
    `${Math.round(TRIAGE_PROBABILITY * 100)}% probability.`;
  const misread = notUnderstood(findings);
  if (level === 'self_care' && misread) {
    level = 'consultation';
    triageRationale += ` Raised to "consultation": ${misread}, so self-care cannot be advised safely.`;
  }

  const seen = new Set<string>();
  const investigations: Investigation[] = [];
  for (const s of kept) {
    if (s !== top && s.probability < INVESTIGATION_PROBABILITY) continue;
    for (const inv of s.condition.investigations) {
      const key = inv.name.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      investigations.push(inv);
    }
  }
  investigations.sort((a, b) => PRIORITY_RANK[a.priority] - PRIORITY_RANK[b.priority]);

  const advice = [...new Set(weighty.flatMap((s) => s.condition.advice))].slice(0, MAX_ADVICE);

  return {
    triageLevel: level,
    triageRationale,
    differential,
    investigations: investigations.slice(0, MAX_INVESTIGATIONS),
    advice,
    scored,
  };
}
