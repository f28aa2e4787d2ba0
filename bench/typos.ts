import { performance } from 'node:perf_hooks';
import { VOCABULARY_WORDS, normalizeToken } from '../src/domain/vocabulary/matcher.ts';
import { typoCorrector, type TypoCorrector } from '../src/domain/vocabulary/typos.ts';

// `node --import tsx bench/typos.ts`: compares approximate-matching libraries for the vocabulary's
// typo tolerance, by accuracy and speed. Only mnemonist is a dependency; to rerun the comparison,
// first `npm install --no-save fastest-levenshtein natural wink-distance nspell dictionary-en`
// (a library that is not installed is reported and skipped).

const vocabulary = [...VOCABULARY_WORDS].filter((w) => /^[a-z]+$/.test(w));
const known = new Set(vocabulary.map(normalizeToken));
const target = (w: string) => normalizeToken(w);

/** Deterministic one-edit typos (deletion, transposition, substitution, doubling) and two-edit ones. */
function typosOf(word: string): string[] {
  const m = Math.floor(word.length / 2);
  const swap = (w: string, i: number) => w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2);
  const one = [
    word.slice(0, m) + word.slice(m + 1),
    swap(word, m - 1),
    word.slice(0, m) + (word[m] === 'e' ? 'a' : 'e') + word.slice(m + 1),
    word.slice(0, m) + word[m] + word.slice(m),
  ];
  const two = word.length >= 8 ? [swap(word.slice(0, m) + word.slice(m + 1), 1)] : [];
  return [...one, ...two].filter((t) => t !== word && !known.has(normalizeToken(t)));
}

const generated = vocabulary
  .filter((w) => w.length >= 5)
  .flatMap((w) => typosOf(w).map((typo) => [typo, w] as const));

/** Misspellings patients really type (spelling forums, NHS search logs style), with the word meant. */
const REAL = (
  [
    ['diarea', 'diarrhoea'],
    ['nausia', 'nausea'],
    ['vomitting', 'vomiting'],
    ['bleading', 'bleeding'],
    ['bleeing', 'bleeding'],
    ['dischage', 'discharge'],
    ['dischrage', 'discharge'],
    ['abdomnal', 'abdominal'],
    ['pregancy', 'pregnancy'],
    ['pregnacy', 'pregnancy'],
    ['miscarrage', 'miscarriage'],
    ['contractons', 'contractions'],
    ['headach', 'headache'],
    ['hedache', 'headache'],
    ['swolen', 'swollen'],
    ['itchey', 'itchy'],
    ['burining', 'burning'],
    ['spoting', 'spotting'],
    ['temprature', 'temperature'],
    ['breathles', 'breathless'],
    ['vaigna', 'vagina'],
    ['cystitus', 'cystitis'],
    ['thursh', 'thrush'],
    ['servix', 'cervix'],
    ['uterous', 'uterus'],
    ['constapated', 'constipated'],
    ['shiverring', 'shivering'],
    ['feverish', 'feverish'],
    ['disharge', 'discharge'],
    ['palpatations', 'palpitations'],
    ['tiredness', 'tiredness'],
    ['cramping', 'cramping'],
    ['clotts', 'clots'],
    ['tightning', 'tightening'],
    ['contracions', 'contractions'],
    ['movments', 'movements'],
    ['shoulde', 'shoulder'],
    ['fishey', 'fishy'],
    ['blurrd', 'blurred'],
    ['dizzyness', 'dizziness'],
  ] as const
).filter(([typo]) => !known.has(normalizeToken(typo)));

interface Candidate {
  readonly name: string;
  readonly build: () => Promise<TypoCorrector>;
}

/** The policy every brute-force candidate shares with ours: ≤1 edit under 8 letters, ≤2 from 8, unique best. */
function bruteForce(distance: (a: string, b: string) => number): TypoCorrector {
  return {
    correct(word) {
      if (word.length < 5) return null;
      const allowed = word.length >= 8 ? 2 : 1;
      let best = Infinity;
      let found: string[] = [];
      for (const v of vocabulary) {
        if (Math.abs(v.length - word.length) > allowed) continue;
        const d = distance(word, v);
        if (d === 0 || d > allowed) continue;
        if (d < best) {
          best = d;
          found = [v];
        } else if (d === best) found.push(v);
      }
      return found.length === 1 ? found[0]! : null;
    },
  };
}

const load = async <T>(name: string): Promise<T> => (await import(name)) as T;

const candidates: Candidate[] = [
  { name: 'mnemonist SymSpell (chosen)', build: async () => typoCorrector(vocabulary) },
  {
    name: 'fastest-levenshtein (brute force)',
    build: async () =>
      bruteForce(
        (await load<{ distance: (a: string, b: string) => number }>('fastest-levenshtein')).distance,
      ),
  },
  {
    name: 'natural DamerauLevenshtein (brute force)',
    build: async () => {
      const natural = await load<{
        default: { DamerauLevenshteinDistance: (a: string, b: string) => number };
      }>('natural');
      return bruteForce((a, b) => natural.default.DamerauLevenshteinDistance(a, b));
    },
  },
  {
    name: 'wink-distance levenshtein (brute force)',
    build: async () => {
      const wink = await load<{ default: { string: { levenshtein: (a: string, b: string) => number } } }>(
        'wink-distance',
      );
      return bruteForce((a, b) => wink.default.string.levenshtein(a, b));
    },
  },
  {
    name: 'nspell + dictionary-en (suggest)',
    build: async () => {
      const nspell = (await load<{ default: (d: unknown) => NspellLike }>('nspell')).default;
      const dictionary = (await load<{ default: unknown }>('dictionary-en')).default;
      const spell = nspell(dictionary);
      for (const v of vocabulary) spell.add(v);
      const inVocabulary = new Set(vocabulary);
      return {
        correct(word) {
          if (word.length < 5 || spell.correct(word)) return null;
          return spell.suggest(word).find((s) => inVocabulary.has(s)) ?? null;
        },
      };
    },
  },
];

interface NspellLike {
  add(word: string): unknown;
  correct(word: string): boolean;
  suggest(word: string): string[];
}

/** Ordinary English words that are not vocabulary words: correcting one of them is a false match. */
async function englishWords(): Promise<string[]> {
  try {
    const dictionary = (await load<{ default: { dic: Uint8Array } }>('dictionary-en')).default;
    const lines = new TextDecoder().decode(dictionary.dic).split('\n').slice(1);
    const words = lines
      .map((l) => l.split('/')[0]!)
      .filter((w) => /^[a-z]{5,}$/.test(w) && !known.has(normalizeToken(w)));
    return words.filter((_, i) => i % 8 === 0);
  } catch {
    return [];
  }
}

const negatives = await englishWords();
console.log(
  `vocabulary ${vocabulary.length} words; generated typos ${generated.length}; real misspellings ${REAL.length}; ` +
    `ordinary English words ${negatives.length}; Node ${process.version}`,
);
console.log(
  '| library | build ms | generated typos fixed | real misspellings fixed | English words wrongly "fixed" | µs per look-up, all (median) | µs per misspelt word (median / p99) |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- |');
const us = (sorted: readonly number[], p: number) =>
  (sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]! * 1000).toFixed(1);
for (const c of candidates) {
  let corrector: TypoCorrector;
  const t0 = performance.now();
  try {
    corrector = await c.build();
  } catch {
    console.log(`| ${c.name} | not installed | | | | | |`);
    continue;
  }
  const build = performance.now() - t0;
  const times: number[] = [];
  const fix = (typo: string) => {
    const s = performance.now();
    const out = corrector.correct(typo);
    times.push(performance.now() - s);
    return out;
  };
  const ok = (pairs: readonly (readonly [string, string])[]) =>
    pairs.filter(([typo, word]) => {
      const out = fix(typo);
      return out !== null && target(out) === target(word);
    }).length;
  const gen = ok(generated);
  const typoTimes = [...times].sort((a, b) => a - b);
  const real = ok(REAL);
  const wrong = negatives.filter((w) => fix(w) !== null).length;
  times.sort((a, b) => a - b);
  const pct = (n: number, d: number) => `${((n / Math.max(d, 1)) * 100).toFixed(1)}% (${n}/${d})`;
  console.log(
    `| ${c.name} | ${build.toFixed(0)} | ${pct(gen, generated.length)} | ${pct(real, REAL.length)} | ` +
      `${pct(wrong, negatives.length)} | ${us(times, 0.5)} | ${us(typoTimes, 0.5)} / ${us(typoTimes, 0.99)} |`,
  );
}
