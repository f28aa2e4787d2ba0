import { CONCEPTS, type ConceptId } from './concepts/index.ts';
import type { ConceptDef } from './concepts/types.ts';
import { LAY_PHRASES } from './lay-phrases.ts';
import { MIN_TYPO_LENGTH, typoCorrector } from './typos.ts';
import { isNeutral, measureUnderstanding, type Understanding, type UnderstandingTally } from './coverage.ts';
import { EMPTY } from '../empty.ts';
import { normalizeToken, splitClauses, tokenizeSegments, type Clause, type Token } from './normalize.ts';
import {
  CONTEXT_CONCEPTS,
  isBareDenial,
  isDenial,
  isNegationCue,
  isPastClause,
  isPostNegationCue,
  MEDICINE_CONCEPTS,
  terminatedBetween,
  type ReadingMode,
} from './scope.ts';

/**
 * Finds vocabulary concepts in free text. Synonyms are compiled once, at module load, into an index
 * keyed by their first word, so matching a request costs a few map look-ups per word.
 */

interface SynonymWord {
  readonly key: string;
  /** Compare against the raw word instead of the stemmed one. */
  readonly exact: boolean;
}

interface CompiledSynonym {
  readonly concept: ConceptId;
  readonly words: readonly SynonymWord[];
  /** Words that veto this synonym in the same clause: its own `!word`s and its concept's `notWith`. */
  readonly veto: ReadonlySet<string> | null;
}

/** Extra words allowed between the words of a synonym ("pain low down in my tummy"). */
const SLACK = 3;
/** How many words before a match a negation cue still applies ("no fever", "denies any heavy bleeding"). */
const NEGATION_WINDOW = 6;
/** How many words after a match a trailing denial still applies ("fever none", "bleeding - denied"). */
const POST_NEGATION_WINDOW = 2;
/** List items after "no X," that share its negation when the list ends in "or"/"nor": "no fever, chills or rash". */
const LIST_ITEM_MAX_WORDS = 4;

function compileSynonym(
  concept: ConceptId,
  text: string,
  notWith: readonly string[] = [],
): CompiledSynonym | null {
  const words: SynonymWord[] = [];
  const veto = new Set<string>(notWith);
  for (const part of text.split(/\s+/)) {
    if (part.startsWith('!')) {
      veto.add(part.slice(1).toLowerCase());
      continue;
    }
    if (part.startsWith('=')) {
      words.push({ key: part.slice(1).toLowerCase(), exact: true });
      continue;
    }
    for (const segment of tokenizeSegments(part))
      for (const t of segment) words.push({ key: t.norm, exact: false });
  }
  return words.length > 0 ? { concept, words, veto: veto.size > 0 ? veto : null } : null;
}

function anchorKey(word: SynonymWord): string {
  return word.exact ? `=${word.key}` : word.key;
}

const INDEX: ReadonlyMap<string, readonly CompiledSynonym[]> = (() => {
  const index = new Map<string, CompiledSynonym[]>();
  for (const concept of CONCEPTS as readonly ConceptDef[]) {
    const id = concept.id as ConceptId;
    for (const synonym of [...concept.synonyms, ...(LAY_PHRASES[id] ?? [])]) {
      const compiled = compileSynonym(id, synonym, concept.notWith);
      if (!compiled) continue;
      const key = anchorKey(compiled.words[0]!);
      const list = index.get(key);
      if (list) list.push(compiled);
      else index.set(key, [compiled]);
    }
  }
  return index;
})();

/** INDEX's exact-word anchors ("=word"), keyed by the raw word: no key to build per token. */
const EXACT_INDEX: ReadonlyMap<string, readonly CompiledSynonym[]> = new Map(
  [...INDEX].filter(([key]) => key.startsWith('=')).map(([key, list]) => [key.slice(1), list]),
);

/** Every word the synonyms use, in matching form: a word outside it is unknown to the vocabulary. */
const KNOWN_WORDS: ReadonlySet<string> = new Set(
  [...INDEX.values()].flatMap((synonyms) => synonyms.flatMap((s) => s.words.map((w) => w.key))),
);
const isKnown = (norm: string) => KNOWN_WORDS.has(norm);

/** The synonyms' words as written: what a misspelt word is corrected to. */
export const VOCABULARY_WORDS: readonly string[] = [
  ...new Set(
    CONCEPTS.flatMap((c) => [...c.synonyms, ...(LAY_PHRASES[c.id] ?? [])])
      .flatMap((s) => s.toLowerCase().split(/[^a-z]+/))
      .filter((w) => w.length >= MIN_TYPO_LENGTH - 1),
  ),
];
const TYPOS = typoCorrector(VOCABULARY_WORDS);

/**
 * Replaces misspelt words of a clause by the vocabulary word they are one or two edits from. Known
 * words, short words, filler and negation cues are never touched.
 */
function correctTypos(clause: Clause): void {
  const tokens = clause.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (KNOWN_WORDS.has(t.norm) || t.raw.length < MIN_TYPO_LENGTH) continue;
    if (isNegationCue(t.raw) || isNeutral(t.raw, t.norm)) continue;
    const word = TYPOS.correct(t.raw);
    if (word !== null) tokens[i] = { ...t, raw: word, norm: normalizeToken(word) };
  }
}

export const CONCEPT_LABELS: ReadonlyMap<ConceptId, string> = new Map(CONCEPTS.map((c) => [c.id, c.label]));

/** One text to read and how: a complaint (`current`) or a list of past conditions (`history`). */
export interface MatchInput {
  readonly text: string;
  readonly mode: ReadingMode;
  /** Whether the text counts towards `coverage` and `unrecognized` (the patient's own complaint). */
  readonly scored: boolean;
}

export interface ConceptMatches {
  readonly present: Set<ConceptId>;
  /** Concepts only ever mentioned under a negation ("no fever"). */
  readonly negated: Set<ConceptId>;
  /** Acute findings mentioned only as past episodes ("heavy bleeding after my first baby"). */
  readonly history: Set<ConceptId>;
  /** How much of the scored text was mapped to a concept. */
  readonly understanding: Understanding;
}

/** The position of `word` nearest the anchor (the first of equals), not the anchor itself; -1 if none. */
function nearest(tokens: readonly Token[], word: SynonymWord, anchor: number): number {
  let best = -1;
  let bestDistance = Infinity;
  for (let p = 0; p < tokens.length; p++) {
    const t = tokens[p]!;
    if (p === anchor || (word.exact ? t.raw !== word.key : t.norm !== word.key)) continue;
    const distance = Math.abs(p - anchor);
    if (distance < bestDistance) {
      best = p;
      bestDistance = distance;
    }
  }
  return best;
}

/** Positions of the attempt in progress: most attempts fail, so the result array is built only for a match. */
const ATTEMPT: number[] = [];

/** The token positions of a match of `synonym` anchored at `anchor` (first is the anchor), or null. */
function matchAt(tokens: readonly Token[], synonym: CompiledSynonym, anchor: number): number[] | null {
  const words = synonym.words;
  const window = words.length + SLACK;
  let lo = anchor;
  let hi = anchor;
  for (let w = 1; w < words.length; w++) {
    const best = nearest(tokens, words[w]!, anchor);
    if (best < 0) return null;
    ATTEMPT[w] = best;
    lo = Math.min(lo, best);
    hi = Math.max(hi, best);
    if (hi - lo + 1 > window) return null;
  }
  const used = [anchor];
  for (let w = 1; w < words.length; w++) used.push(ATTEMPT[w]!);
  return used;
}

/** How a clause's negation is set by its neighbours. */
interface ClauseScope {
  /** Denied as a whole: an item of a denied list, or followed by a bare "no"/"none". */
  readonly deniedByContext: boolean;
  readonly past: boolean;
}

/**
 * A cue shortly before the match (within its clause, not past "and"), between its words ("waters
 * haven't broken"), or trailing it with only filler after ("STI screen negative last month") denies it.
 */
function isNegated(clause: Clause, used: readonly number[]): boolean {
  const tokens = clause.tokens;
  const lo = Math.min(...used);
  const hi = Math.max(...used);
  const first = tokens[lo]!.word;
  for (let i = lo - 1; i >= 0 && lo - i <= NEGATION_WINDOW; i--) {
    const t = tokens[i]!;
    if (!isNegationCue(t.raw)) continue;
    if (isDenial(clause, t.word) && !terminatedBetween(clause, t.word, first)) return true;
  }
  for (let i = lo + 1; i < hi; i++) {
    if (!used.includes(i) && isNegationCue(tokens[i]!.raw) && isDenial(clause, tokens[i]!.word)) return true;
  }
  for (let i = hi + 1; i < tokens.length && i - hi <= POST_NEGATION_WINDOW; i++) {
    if (isPostNegationCue(tokens[i]!.raw) && tokens.slice(i + 1).every((t) => isNeutral(t.raw, t.norm)))
      return true;
  }
  return false;
}

interface Accumulator {
  readonly present: Set<ConceptId>;
  readonly negated: Set<ConceptId>;
  readonly history: Set<ConceptId>;
}

/** Matches one clause; returns the indices of the tokens that mapped to a concept. */
function matchClause(clause: Clause, scope: ClauseScope, mode: ReadingMode, into: Accumulator): Set<number> {
  const matched = new Set<number>();
  for (let i = 0; i < clause.tokens.length; i++) {
    const t = clause.tokens[i]!;
    // Stemmed anchors first, then exact-word ones (two look-ups, no list built per word).
    matchAnchored(INDEX.get(t.norm), clause, i, scope, mode, into, matched);
    matchAnchored(EXACT_INDEX.get(t.raw), clause, i, scope, mode, into, matched);
  }
  return matched;
}

/** Records the synonyms anchored at token `i` that match around it. */
function matchAnchored(
  candidates: readonly CompiledSynonym[] | undefined,
  clause: Clause,
  i: number,
  scope: ClauseScope,
  mode: ReadingMode,
  into: Accumulator,
  matched: Set<number>,
): void {
  for (const synonym of candidates ?? EMPTY) {
    const used = matchAt(clause.tokens, synonym, i);
    if (!used) continue;
    for (const p of used) matched.add(p);
    const concept = synonym.concept;
    const veto = synonym.veto;
    if (veto && clause.words.some((w) => veto.has(w))) continue;
    if (into.present.has(concept) || (mode === 'allergy' && MEDICINE_CONCEPTS.has(concept))) continue;
    const context = CONTEXT_CONCEPTS.has(concept);
    const denied = scope.deniedByContext || isNegated(clause, used);
    if (!context && scope.past) {
      // A denied past episode says nothing about now; a past one is history, not a finding.
      if (!denied) into.history.add(concept);
    } else if (denied) into.negated.add(concept);
    else {
      into.present.add(concept);
      into.negated.delete(concept);
      into.history.delete(concept);
    }
  }
}

/** Whether the clause starts with a denial ("no fever"), so a following list can share it. */
function opensDenial(clause: Clause): boolean {
  const first = clause.tokens[0];
  return first !== undefined && isNegationCue(first.raw) && isDenial(clause, first.word);
}

/** Clauses after a denial that are items of the same list: "no fever, chills or rash". */
function deniedListItems(clauses: readonly Clause[], i: number): number {
  let j = i + 1;
  while (j < clauses.length && clauses[j - 1]!.separator === ',') {
    const item = clauses[j]!;
    if (item.tokens.length === 0 || item.tokens.length > LIST_ITEM_MAX_WORDS) break;
    if (item.words.includes('or') || item.words.includes('nor')) return j - i;
    j++;
  }
  return 0;
}

function scopesOf(clauses: readonly Clause[], mode: ReadingMode): ClauseScope[] {
  const denied = clauses.map(() => false);
  for (let i = 0; i < clauses.length; i++) {
    if (opensDenial(clauses[i]!)) {
      const items = deniedListItems(clauses, i);
      for (let k = 1; k <= items; k++) denied[i + k] = true;
    }
    const next = clauses[i + 1];
    if (next && isBareDenial(next)) denied[i] = true;
  }
  return clauses.map((c, i) => ({ deniedByContext: denied[i]!, past: isPastClause(c, mode) }));
}

function matchText(input: MatchInput, into: Accumulator, tally: UnderstandingTally): void {
  const clauses = splitClauses(input.text);
  const scopes = scopesOf(clauses, input.mode);
  clauses.forEach((clause, i) => {
    correctTypos(clause);
    const matched = matchClause(clause, scopes[i]!, input.mode, into);
    if (input.scored) measureUnderstanding(input.text, clause, matched, isKnown, tally);
  });
}

/**
 * Matches every text, accumulating into one result; a concept affirmed anywhere is present.
 * Plain strings are read as the patient's complaint.
 */
export function matchConcepts(inputs: Iterable<string | MatchInput>): ConceptMatches {
  const into: Accumulator = { present: new Set(), negated: new Set(), history: new Set() };
  const tally: UnderstandingTally = { recognised: 0, total: 0, unrecognized: [] };
  for (const input of inputs) {
    matchText(
      typeof input === 'string' ? { text: input, mode: 'current', scored: true } : input,
      into,
      tally,
    );
  }
  for (const id of into.present) into.history.delete(id);
  return { ...into, understanding: summarise(tally) };
}

function summarise(tally: UnderstandingTally): Understanding {
  return {
    coverage: tally.total === 0 ? 1 : tally.recognised / tally.total,
    unrecognized: tally.unrecognized,
    recognisedWords: tally.recognised,
  };
}

/** Exposed for tests: the normalised form of one word. */
export { normalizeToken };
