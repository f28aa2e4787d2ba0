import { foldForMatching } from '../text/normalize.ts';
import { layWord } from './lay-words.ts';

/**
 * Text normalisation shared by the concept synonyms and the patient's free text, so both sides
 * reduce to the same tokens: lower case, no punctuation, light stemming, spelling variants folded.
 */

/** Words that carry no clinical meaning here; dropping them lets "pain in my tummy" match "tummy pain". */
const STOPWORDS = new Set([
  'a',
  'an',
  'the',
  'my',
  'me',
  'i',
  'im',
  'ive',
  'id',
  'of',
  'in',
  'on',
  'at',
  'to',
  'is',
  'am',
  'are',
  'was',
  'were',
  'be',
  'been',
  'have',
  'has',
  'had',
  'having',
  'very',
  'really',
  'quite',
  'some',
  'any',
  'and',
  'or',
  'nor',
  'with',
  'during',
  'after',
  'when',
  'while',
  'for',
  'from',
  'it',
  'its',
  'that',
  'this',
  'there',
  'which',
  'who',
  'she',
  'her',
  'also',
  'just',
  'got',
  'get',
  'getting',
  'gets',
  'so',
  'too',
  'by',
  'as',
  'do',
  'does',
  'did',
  'than',
  'then',
  'up',
  'about',
  'around',
  'bit',
  'slightly',
  'mild',
  'mildly',
  'moderate',
  'keeps',
  'keep',
  'kept',
  'over',
  'past',
  'last',
  'since',
  'all',
  'much',
  'more',
  'can',
  'could',
  'would',
  'will',
  'feels',
  'seem',
  'seems',
  'like',
]);

/** Spelling variants and lay words folded onto one token (applied to raw and stemmed forms). */
const FOLD: Record<string, string> = {
  // Folded before stemming so the irregular forms meet their stems.
  bleed: 'bleed',
  bleeding: 'bleed',
  bled: 'bleed',
  bleeds: 'bleed',
  felt: 'feel',
  slept: 'sleep',
  sleeping: 'sleep',
  feeling: 'feel',
  feels: 'feel',
  broke: 'break',
  broken: 'break',
  breaking: 'break',
  burst: 'break',
  denies: 'deny',
  denied: 'deny',
  denying: 'deny',
  cannot: 'cant',
  unable: 'cant',
  couldnt: 'cant',
  tired: 'tired',
  tiredness: 'tired',
  exhausted: 'tired',
  exhaustion: 'tired',
  fatigue: 'tired',
  fatigued: 'tired',
  diarrhea: 'diarrhoea',
  oedema: 'edema',
  haematuria: 'hematuria',
  anaemia: 'anemia',
  anaemic: 'anemia',
  anemic: 'anemia',
  foetal: 'baby',
  // Northern English and Scots, and common pet names for the baby.
  bairn: 'baby',
  bairns: 'baby',
  bubba: 'baby',
  wks: 'week',
  wk: 'week',
  fetal: 'baby',
  fetus: 'baby',
  foetus: 'baby',
  oestrogen: 'estrogen',
  odour: 'smell',
  odor: 'smell',
  odours: 'smell',
  smelly: 'smell',
  smelling: 'smell',
  smells: 'smell',
  stink: 'smell',
  stinks: 'smell',
  haemorrhage: 'hemorrhage',
  pee: 'pee',
  peeing: 'pee',
  wee: 'pee',
  weeing: 'pee',
  urinate: 'pee',
  urinating: 'pee',
  urination: 'pee',
  micturition: 'pee',
  voiding: 'pee',
  stomach: 'abdomen',
  tummy: 'abdomen',
  belly: 'abdomen',
  abdominal: 'abdomen',
  abdo: 'abdomen',
  vaginal: 'vagina',
  vaginally: 'vagina',
  vag: 'vagina',
  vulval: 'vulva',
  vulvar: 'vulva',
  labia: 'vulva',
  labial: 'vulva',
  labium: 'vulva',
  periods: 'period',
  menses: 'period',
  menstruation: 'period',
  menstrual: 'period',
  monthly: 'period',
  intercourse: 'sex',
  sexual: 'sex',
  coitus: 'sex',
  coital: 'sex',
  nauseous: 'nausea',
  nauseated: 'nausea',
  queasy: 'nausea',
  vomiting: 'vomit',
  vomited: 'vomit',
  vomitting: 'vomit',
  vomits: 'vomit',
  dizzy: 'dizzy',
  dizziness: 'dizzy',
  lightheaded: 'dizzy',
  itchy: 'itch',
  itching: 'itch',
  itchiness: 'itch',
  pruritus: 'itch',
  itches: 'itch',
  painful: 'pain',
  pains: 'pain',
  hurts: 'pain',
  hurt: 'pain',
  hurting: 'pain',
  sore: 'sore',
  soreness: 'sore',
  ache: 'ache',
  aches: 'ache',
  aching: 'ache',
  achy: 'ache',
  swollen: 'swell',
  swelling: 'swell',
  swell: 'swell',
  fish: 'fishy',
  breathless: 'breathless',
  breathlessness: 'breathless',
  dyspnoea: 'breathless',
  dyspnea: 'breathless',
  feverish: 'fever',
  febrile: 'fever',
  pyrexia: 'fever',
  pyrexial: 'fever',
  hrs: 'hour',
  hr: 'hour',
  hourly: 'hour',
  womb: 'uterus',
  uterine: 'uterus',
  ovarian: 'ovary',
  pregnancy: 'pregnant',
  caesarean: 'csection',
  cesarean: 'csection',
  'c-section': 'csection',
  coughing: 'cough',
  sneezing: 'sneeze',
  sneeze: 'sneeze',
  laughing: 'laugh',
  tampons: 'tampon',
};

/** Light suffix stripping: enough to fold plurals and -ing/-ed forms, consistently on both sides. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith('ing') && w.length - 3 >= 3) w = undouble(w.slice(0, -3));
  else if (w.endsWith('ied') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('ed') && w.length - 2 >= 4) w = undouble(w.slice(0, -2));
  if (w.endsWith('e') && w.length > 3) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const last = w.at(-1);
  if (w.length > 3 && last === w.at(-2) && last !== undefined && !'aeiouslz'.includes(last))
    return w.slice(0, -1);
  return w;
}

function normalizeUncached(written: string): string {
  const raw = layWord(written);
  const folded = FOLD[raw];
  if (folded !== undefined) return folded;
  const stemmed = stem(raw);
  return FOLD[stemmed] ?? stemmed;
}

/** Patients reuse a small set of words: each is folded and stemmed once (bounded, like the typo cache). */
const NORMALIZED = new Map<string, string>();
const MAX_CACHED_WORDS = 10_000;

export function normalizeToken(written: string): string {
  let norm = NORMALIZED.get(written);
  if (norm === undefined) {
    norm = normalizeUncached(written);
    if (NORMALIZED.size < MAX_CACHED_WORDS) NORMALIZED.set(written, norm);
  }
  return norm;
}

export interface Token {
  /** Lower-cased word as written, apostrophes and diacritics removed. */
  readonly raw: string;
  /** Folded and stemmed form used for matching. */
  readonly norm: string;
  /** Index of the word among every word of its clause, stopwords included (for scope cues). */
  readonly word: number;
  /** Offsets of the word in the source text. */
  readonly start: number;
  readonly end: number;
}

/** A clause of the source text: the unit negation and history scope apply to. */
export interface Clause {
  /** Meaningful tokens (stopwords dropped). */
  readonly tokens: Token[];
  /** Every word of the clause, stopwords included, lower-cased. */
  readonly words: string[];
  /** What ended the clause: punctuation (trimmed) or a contrast word such as "but"; '' at the end. */
  readonly separator: string;
}

/** Phrases that end the scope of a negation or a match: "no fever but heavy bleeding". */
const SEGMENT_BREAK =
  /(?:[,;:!?\n()[\]{}]|\.(?!\d))+|\b(?:but|however|although|though|except|whereas|yet)\b/g;
/** A word, with any combining marks and format characters inside it (folded away per word). */
const WORD = /[\p{L}\p{N}\p{M}\p{Cf}'’`]+/gu;

/**
 * Case and diacritics are folded per word, on the matching side only ("É" ~ "e", "ｐａｉｎ" ~ "pain"),
 * so offsets into the text stay exact; apostrophes go, and the rest splits into letter/digit runs.
 */
function wordParts(word: string): readonly string[] {
  let parts = WORD_PARTS.get(word);
  if (parts === undefined) {
    const folded = foldForMatching(word).replace(/['’`]/g, '');
    parts = folded.split(/[^a-z0-9]+/).filter((w) => w !== '');
    if (WORD_PARTS.size < MAX_CACHED_WORDS) WORD_PARTS.set(word, parts);
  }
  return parts;
}
const WORD_PARTS = new Map<string, readonly string[]>();

/** Any character outside ASCII: such text is split into words by WORD, the rest by isAsciiWordChar. */
const NON_ASCII = /[\u0080-\uffff]/;

/**
 * WORD's class on lower-cased ASCII, where \p{L} and \p{N} are letters and digits and \p{M}, \p{Cf} are
 * empty (the text is lower-cased first, so no capital reaches it).
 */
function isAsciiWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 39 || c === 96;
}

function addWord(clause: Clause, written: string, start: number, end: number): void {
  for (const raw of wordParts(written)) {
    const word = clause.words.push(raw) - 1;
    if (STOPWORDS.has(raw)) continue;
    const norm = normalizeToken(raw);
    if (STOPWORDS.has(norm)) continue;
    clause.tokens.push({ raw, norm, word, start, end });
  }
}

function clauseOf(text: string, from: number, to: number, separator: string, ascii: boolean): Clause {
  const clause: Clause = { tokens: [], words: [], separator };
  if (ascii) {
    // The same maximal runs WORD finds, without a match object per word (most requests are ASCII).
    let i = from;
    while (i < to) {
      while (i < to && !isAsciiWordChar(text.charCodeAt(i))) i++;
      const start = i;
      while (i < to && isAsciiWordChar(text.charCodeAt(i))) i++;
      if (i > start) addWord(clause, text.slice(start, i), start, i);
    }
    return clause;
  }
  WORD.lastIndex = 0;
  const part = text.slice(from, to);
  for (let m = WORD.exec(part); m !== null; m = WORD.exec(part)) {
    const start = from + m.index;
    addWord(clause, m[0], start, start + m[0].length);
  }
  return clause;
}

/** Splits text into clauses; offsets stay those of `text`. */
export function splitClauses(text: string): Clause[] {
  // 'İ' is the one character whose lower case is longer; replacing it keeps offsets aligned.
  const lowered = (text.includes('İ') ? text.replace(/İ/g, 'I') : text).toLowerCase();
  const ascii = !NON_ASCII.test(lowered);
  const clauses: Clause[] = [];
  let from = 0;
  SEGMENT_BREAK.lastIndex = 0;
  for (let m = SEGMENT_BREAK.exec(lowered); ; m = SEGMENT_BREAK.exec(lowered)) {
    const to = m ? m.index : lowered.length;
    const clause = clauseOf(lowered, from, to, m ? m[0].trim() : '', ascii);
    if (clause.words.length > 0) clauses.push(clause);
    else if (m && clauses.length > 0) {
      // Punctuation with no words between ("?!") belongs to the clause before it.
      const last = clauses.at(-1)!;
      clauses[clauses.length - 1] = { ...last, separator: `${last.separator}${m[0].trim()}` };
    }
    if (!m) break;
    from = m.index + m[0].length;
  }
  return joinWordLists(clauses);
}

/**
 * A one-word clause before a comma is an item of a descriptive list ("red, hot, painful breast",
 * "thick, white, lumpy discharge"): it joins the clause after it, so the words can meet.
 */
function joinWordLists(clauses: Clause[]): Clause[] {
  const out: Clause[] = [];
  let pending: Clause | null = null;
  for (const clause of clauses) {
    const c: Clause = pending ? joinClauses(pending, clause) : clause;
    pending = clause.words.length === 1 && clause.separator === ',' ? c : null;
    if (!pending) out.push(c);
  }
  if (pending) out.push(pending);
  return out;
}

function joinClauses(a: Clause, b: Clause): Clause {
  const offset = a.words.length;
  return {
    tokens: [...a.tokens, ...b.tokens.map((t) => ({ ...t, word: t.word + offset }))],
    words: [...a.words, ...b.words],
    separator: b.separator,
  };
}

/** Splits text into segments (clauses) of meaningful tokens. */
export function tokenizeSegments(text: string): Token[][] {
  return splitClauses(text)
    .map((c) => c.tokens)
    .filter((t) => t.length > 0);
}
