import type { ConceptId } from './concepts/index.ts';
import { HISTORY_CONCEPTS } from './concepts/history.ts';
import { MIMIC_CONTEXT_CONCEPTS } from './concepts/mimics.ts';
import type { Clause } from './normalize.ts';
import { EMPTY } from '../empty.ts';

/**
 * What a mention means where it stands: denied ("no fever"), past ("had chlamydia last year") or
 * happening now. Negation and history are scoped to their clause (NegEx-style cue lists).
 */

/**
 * How a field is read: `current` describes the complaint, `history` lists past conditions,
 * `allergy` lists what the patient reacts to (past, and a medicine named there is not being taken).
 */
export type ReadingMode = 'current' | 'history' | 'allergy';

/** Concepts that mean a medicine is being taken: never read from an allergy list. */
export const MEDICINE_CONCEPTS: ReadonlySet<ConceptId> = new Set<ConceptId>([
  'recent_antibiotics',
  'combined_pill',
  'unopposed_oestrogen',
  'fertility_treatment',
  'hormone_treatment_stopped',
  'opioid_use',
  'hormonal_contraception',
]);

/**
 * Concepts that are context (risk factors, known conditions, long-standing patterns): a past
 * mention is still true now, so they count from any field and any tense.
 */
export const CONTEXT_CONCEPTS: ReadonlySet<ConceptId> = new Set<ConceptId>([
  ...HISTORY_CONCEPTS.map((c) => c.id),
  ...MIMIC_CONTEXT_CONCEPTS,
  'caesarean',
  'breastfeeding',
  'low_lying_placenta',
  'anaemia_symptoms',
  'weight_gain',
  'menopause_text',
  'infertility',
  'recurrent_episodes',
  'persistent_symptoms',
  'tampon_use',
  'irritant_exposure',
  'heavy_periods',
  'painful_periods',
  'pain_since_menarche',
  'worsening_period_pain',
  'cyclical_pain',
  'irregular_periods',
  'premenstrual_timing',
  'hirsutism',
  'acne',
  'hair_thinning',
]);

/** Cues as written (raw words: stemming would turn "note" into "not"). */
const NEGATION_CUES = new Set([
  'no',
  'not',
  'deny',
  'denies',
  'denied',
  'denying',
  'without',
  'never',
  'nil',
  'none',
  'negative',
  'dont',
  'doesnt',
  'didnt',
  'havent',
  'hasnt',
  'hadnt',
  'isnt',
  'wasnt',
  'arent',
  'werent',
  'absent',
  'nope',
  'free',
  'lack',
  'absence',
]);

/** Cues that deny what comes before them: "fever: none", "bleeding denied". */
const POST_NEGATION_CUES = new Set(['none', 'nil', 'denied', 'absent', 'negative', 'no', 'nope']);

/** A cue followed by one of these expresses doubt, not denial: "not sure", "don't know", "no idea". */
const UNCERTAINTY = new Set(['sure', 'certain', 'know', 'idea', 'remember', 'only', 'just', 'tell']);

/** Words that end a negation's reach inside a clause: "no fever and the pain is worse". */
const NEGATION_TERMINATORS = new Set(['and', 'now', 'still', 'which', 'apart', 'aside', 'besides', 'plus']);

/** Whether a word (lower-cased, as written) denies what follows it. */
export function isNegationCue(raw: string): boolean {
  return NEGATION_CUES.has(raw);
}

/** Whether a word (as written) denies what comes just before it. */
export function isPostNegationCue(raw: string): boolean {
  return POST_NEGATION_CUES.has(raw);
}

/** Whether the cue at word index `cue` is a real denial (not "not sure if …"). */
export function isDenial(clause: Clause, cue: number): boolean {
  const next = clause.words[cue + 1];
  return next === undefined || !UNCERTAINTY.has(next);
}

/** Whether a terminator stands between two word indices of a clause. */
export function terminatedBetween(clause: Clause, from: number, to: number): boolean {
  for (let w = from + 1; w < to; w++) if (NEGATION_TERMINATORS.has(clause.words[w]!)) return true;
  return false;
}

/** A clause made only of denial words ("none", "no", "nil"), as in "fever? no". */
export function isBareDenial(clause: Clause): boolean {
  return (
    clause.words.length > 0 &&
    clause.words.length <= 2 &&
    clause.words.every((w) => POST_NEGATION_CUES.has(w))
  );
}

/** Words marking a past episode; two-word cues are written with a space. */
const HISTORY_CUES = [
  'years ago',
  'year ago',
  'in the past',
  'used to',
  'last year',
  'last pregnancy',
  'previous',
  'previously',
  'prior',
  'history',
  'hx',
  'other pregnancy',
  'with my first',
  'with my last',
  'as a teenager',
  'as a child',
  'in my teens',
  'years back',
] as const;

/** Words that put a mention in the present even beside a history cue: "had it before, now again". */
const NOW_CUES = [
  'now',
  'again',
  'currently',
  'current',
  'still',
  'today',
  'tonight',
  'this morning',
  'this evening',
  'this afternoon',
  'this week',
  'since',
  'ongoing',
  'at the moment',
  'right now',
  'this time',
  'started',
  'starting',
  'keeps',
  'yesterday',
] as const;

/** In a history field, the present tense also says "now": "blood pressure is high", "I am bleeding". */
const PRESENT_TENSE = ['is', 'am', 'are', 'im', 'have been', 'has been', 'getting', 'having'] as const;

/** Cues by their first word, so a clause's words are looked up once instead of compared with every cue. */
type Cues = ReadonlyMap<string, readonly (readonly string[])[]>;

function compileCues(cues: readonly string[]): Cues {
  const byFirst = new Map<string, string[][]>();
  for (const cue of cues) {
    const words = cue.split(' ');
    const list = byFirst.get(words[0]!);
    if (list) list.push(words);
    else byFirst.set(words[0]!, [words]);
  }
  return byFirst;
}

const HISTORY = compileCues(HISTORY_CUES);
const NOW = compileCues(NOW_CUES);
const PRESENT = compileCues(PRESENT_TENSE);

function hasCue(words: readonly string[], cues: Cues): boolean {
  for (let i = 0; i < words.length; i++) {
    for (const cue of cues.get(words[i]!) ?? EMPTY) {
      let k = 1;
      while (k < cue.length && words[i + k] === cue[k]) k++;
      if (k === cue.length) return true;
    }
  }
  return false;
}

/** A year such as "2019" reads as a date in the past. */
const YEAR = /^(?:19|20)\d\d$/;

/**
 * Whether the acute findings of a clause are in the past. Context concepts ignore this; a history
 * field is past unless the clause says it is happening now.
 */
export function isPastClause(clause: Clause, mode: ReadingMode): boolean {
  const now = hasCue(clause.words, NOW) || (mode !== 'current' && hasCue(clause.words, PRESENT));
  if (now) return false;
  if (mode !== 'current') return true;
  if (hasCue(clause.words, HISTORY)) return true;
  for (const word of clause.words) if (YEAR.test(word)) return true;
  return false;
}
