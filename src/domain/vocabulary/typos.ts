import dictionary from 'dictionary-en';
import { SymSpell } from 'mnemonist';

/**
 * Typo tolerance: a misspelt word ("bleading", "discahrge", "nausious") is replaced by the vocabulary
 * word within a small edit distance. The index (mnemonist's SymSpell: every word's deletions,
 * precomputed) is built once at module load, so a look-up costs a few map probes. A correctly spelt
 * English word (Hunspell's en_US word list, dictionary-en) is never "corrected": "camping" is not
 * "cramping", "breed" is not "bleed". Chosen by measurement against fastest-levenshtein, natural,
 * wink-distance and nspell (BENCHMARKS.md).
 */

/** Lower-case stems of the English dictionary (proper nouns and affix rules left out). */
const ENGLISH: ReadonlySet<string> = new Set(
  new TextDecoder()
    .decode(dictionary.dic)
    .split('\n')
    .map((line) => line.split('/')[0]!)
    .filter((w) => /^[a-z]+$/.test(w)),
);
const SUFFIXES = ['s', 'es', 'ed', 'd', 'ing', 'er', 'est', 'ly', 'y', 'ies', 'ness'];

/** Whether a word is an English word or a regular inflection of one ("camping" from "camp"). */
function isEnglish(word: string): boolean {
  if (ENGLISH.has(word)) return true;
  for (const suffix of SUFFIXES) {
    if (!word.endsWith(suffix)) continue;
    const stem = word.slice(0, -suffix.length);
    if (ENGLISH.has(stem) || ENGLISH.has(`${stem}e`) || ENGLISH.has(`${stem}y`)) return true;
    // Doubled consonant before -ing/-ed: "dripping" from "drip".
    if (stem.length > 3 && stem.at(-1) === stem.at(-2) && ENGLISH.has(stem.slice(0, -1))) return true;
  }
  return false;
}

/** Words shorter than this are never corrected: too many real words lie one edit apart. */
export const MIN_TYPO_LENGTH = 5;
/** Words of this length or more may be two edits away; shorter ones only one. */
const TWO_EDITS_FROM = 8;

export interface TypoCorrector {
  /** The vocabulary word `word` is a misspelling of, or null (unknown, ambiguous or too far). */
  correct(word: string): string | null;
}

/** Builds a corrector over `vocabulary` (lower-case words as written in the synonyms). */
export function typoCorrector(vocabulary: Iterable<string>): TypoCorrector {
  const words = [...new Set(vocabulary)].filter((w) => w.length >= MIN_TYPO_LENGTH - 1 && /^[a-z]+$/.test(w));
  // Verbosity 1: every suggestion at the smallest distance, so an ambiguous typo can be refused.
  const index = SymSpell.from(words, { maxDistance: 2, verbosity: 1 });
  const cache = new Map<string, string | null>();
  return {
    correct(word: string): string | null {
      if (word.length < MIN_TYPO_LENGTH) return null;
      const cached = cache.get(word);
      if (cached !== undefined) return cached;
      if (!/^[a-z]+$/.test(word) || isEnglish(word)) {
        if (cache.size < 10_000) cache.set(word, null);
        return null;
      }
      const allowed = word.length >= TWO_EDITS_FROM ? 2 : 1;
      const found = index.search(word).filter((m) => m.distance > 0 && m.distance <= allowed);
      const terms = [...new Set(found.map((m) => m.term))];
      const answer = terms.length === 1 ? terms[0]! : null;
      // Bounded: a flood of distinct junk words cannot grow the cache without limit.
      if (cache.size < 10_000) cache.set(word, answer);
      return answer;
    },
  };
}
