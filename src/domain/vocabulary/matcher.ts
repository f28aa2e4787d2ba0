import { CONCEPTS, type ConceptId } from './concepts/index.ts';
import { isNegationCue, normalizeToken, tokenizeSegments, type Token } from './normalize.ts';

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
}

/** Extra words allowed between the words of a synonym ("pain low down in my tummy"). */
const SLACK = 3;
/** How many words before a match a negation cue still applies ("no fever", "denies any heavy bleeding"). */
const NEGATION_WINDOW = 6;

function compileSynonym(concept: ConceptId, text: string): CompiledSynonym | null {
  const words: SynonymWord[] = [];
  for (const part of text.split(/\s+/)) {
    if (part.startsWith('=')) {
      words.push({ key: part.slice(1).toLowerCase(), exact: true });
      continue;
    }
    for (const segment of tokenizeSegments(part))
      for (const t of segment) words.push({ key: t.norm, exact: false });
  }
  return words.length > 0 ? { concept, words } : null;
}

function anchorKey(word: SynonymWord): string {
  return word.exact ? `=${word.key}` : word.key;
}

const INDEX: ReadonlyMap<string, readonly CompiledSynonym[]> = (() => {
  const index = new Map<string, CompiledSynonym[]>();
  for (const concept of CONCEPTS) {
    for (const synonym of concept.synonyms) {
      const compiled = compileSynonym(concept.id, synonym);
      if (!compiled) continue;
      const key = anchorKey(compiled.words[0]!);
      const list = index.get(key);
      if (list) list.push(compiled);
      else index.set(key, [compiled]);
    }
  }
  return index;
})();

export const CONCEPT_LABELS: ReadonlyMap<ConceptId, string> = new Map(CONCEPTS.map((c) => [c.id, c.label]));

export interface ConceptMatches {
  readonly present: Set<ConceptId>;
  /** Concepts only ever mentioned under a negation ("no fever"). */
  readonly negated: Set<ConceptId>;
}

function positionsOf(tokens: readonly Token[], word: SynonymWord): number[] {
  const out: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (word.exact ? t.raw === word.key : t.norm === word.key) out.push(i);
  }
  return out;
}

/** The token positions of a match of `synonym` anchored at `anchor` (first is the anchor), or null. */
function matchAt(tokens: readonly Token[], synonym: CompiledSynonym, anchor: number): number[] | null {
  const window = synonym.words.length + SLACK;
  const used = [anchor];
  let lo = anchor;
  let hi = anchor;
  for (let w = 1; w < synonym.words.length; w++) {
    let best = -1;
    let bestDistance = Infinity;
    for (const p of positionsOf(tokens, synonym.words[w]!)) {
      const distance = Math.abs(p - anchor);
      if (p !== anchor && distance < bestDistance) {
        best = p;
        bestDistance = distance;
      }
    }
    if (best < 0) return null;
    used.push(best);
    lo = Math.min(lo, best);
    hi = Math.max(hi, best);
    if (hi - lo + 1 > window) return null;
  }
  return used;
}

/** A cue shortly before the match, or between its words ("waters haven't broken"), denies it. */
function isNegated(tokens: readonly Token[], used: readonly number[]): boolean {
  const start = Math.min(...used);
  for (let i = start - 1; i >= 0 && start - i <= NEGATION_WINDOW; i--) {
    if (isNegationCue(tokens[i]!.norm)) return true;
  }
  for (let i = start + 1; i < Math.max(...used); i++) {
    if (!used.includes(i) && isNegationCue(tokens[i]!.norm)) return true;
  }
  return false;
}

function matchSegment(tokens: readonly Token[], into: ConceptMatches): void {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const candidates = [...(INDEX.get(t.norm) ?? []), ...(INDEX.get(`=${t.raw}`) ?? [])];
    for (const synonym of candidates) {
      if (into.present.has(synonym.concept)) continue;
      const used = matchAt(tokens, synonym, i);
      if (!used) continue;
      if (isNegated(tokens, used)) into.negated.add(synonym.concept);
      else {
        into.present.add(synonym.concept);
        into.negated.delete(synonym.concept);
      }
    }
  }
}

/** Matches every text, accumulating into one result; a concept affirmed anywhere is present. */
export function matchConcepts(texts: Iterable<string>): ConceptMatches {
  const result: ConceptMatches = { present: new Set(), negated: new Set() };
  for (const text of texts) {
    for (const segment of tokenizeSegments(text)) matchSegment(segment, result);
  }
  return result;
}

/** Exposed for tests: the normalised form of one word. */
export { normalizeToken };
