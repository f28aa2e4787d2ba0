import type { Clause } from './normalize.ts';
import { isNegationCue } from './scope.ts';

/**
 * How much of the patient's text the vocabulary understood. Each clause is cut into phrases at
 * "and", "with", "or"…; a phrase is understood when one of its words is a word of a concept match.
 * Words that carry no clinical content (time, worry, filler) are neither understood nor missed.
 * `coverage` is the share of clinical words in understood phrases; `unrecognized` lists the
 * phrases that were not understood, as the patient wrote them (response only, never logged).
 */

export interface Understanding {
  /** 0..1: share of the clinical words of the scored text that fell in an understood phrase. */
  readonly coverage: number;
  /** Phrases with clinical words that mapped to nothing, in the order written. */
  readonly unrecognized: readonly string[];
  /** Clinical words in understood phrases (0: nothing in the text was understood). */
  readonly recognisedWords: number;
}

export interface UnderstandingTally {
  recognised: number;
  total: number;
  unrecognized: string[];
}

/**
 * Below this coverage a substantial part of the complaint was not understood: the knowledge base
 * then never advises self-care, since what it missed could matter.
 */
export const SELF_CARE_MIN_COVERAGE = 0.7;

/** At most this many unrecognised phrases are returned, each cut to this many characters. */
export const MAX_UNRECOGNIZED = 20;
export const MAX_PHRASE_CHARS = 120;

const PHRASE_BREAKS = new Set(['and', 'with', 'or', 'also', 'plus', 'then']);

/** Words with no clinical content of their own: they neither add to nor take from coverage. */
const NEUTRAL = new Set(
  `
  now again still currently today tonight yesterday tomorrow morning afternoon evening night nights overnight
  day days week weeks month months year years hour hours minute minutes min mins hr hrs wk wks ago
  monday tuesday wednesday thursday friday saturday sunday weekend recently lately suddenly slowly
  start started starting began begun begin came come comes coming went gone go goes going happen happened happening
  first second third time times sometimes often always usually every daily once twice few several lot lots
  little bit worse worst better stronger weaker same different weird strange funny odd kind sort thing things stuff
  worried worry worrying scared frightened concerned nervous panicking help please advice advise need want
  think thought know knew sure unsure maybe might probably possibly wonder wondering normal ok okay fine
  otherwise really actually literally basically definitely totally pretty extremely super so such lot
  doctor doctors gp midwife nurse hospital clinic appointment told said says say saw seen see check checked
  work home school husband boyfriend mum mom sister friend
  what how why where who whats hows is
  feel felt feeling look looks looked seem seems seemed
  yes yeah hi hello thanks thank
  one two three four five six seven eight nine ten half
`
    .split(/\s+/)
    .filter((w) => w !== ''),
);

const NUMBER = /^\d/;

/** Whether a word carries no clinical content of its own (time, worry, filler, numbers). */
export function isNeutral(raw: string, norm: string): boolean {
  return NEUTRAL.has(raw) || NEUTRAL.has(norm) || NUMBER.test(raw);
}

function addPhrase(tally: UnderstandingTally, text: string, start: number, end: number): void {
  if (tally.unrecognized.length >= MAX_UNRECOGNIZED) return;
  let phrase = text.slice(start, end).trim();
  if (phrase.length > MAX_PHRASE_CHARS) phrase = `${phrase.slice(0, MAX_PHRASE_CHARS - 1).trimEnd()}…`;
  if (!tally.unrecognized.includes(phrase)) tally.unrecognized.push(phrase);
}

/** Words that state a finding is normal ("baby moving normally", "swabs negative"). */
const REASSURANCE = new Set([
  'normal',
  'normally',
  'fine',
  'well',
  'regular',
  'clear',
  'negative',
  'ok',
  'okay',
]);

/**
 * A phrase that denies or calls normal something the vocabulary knows ("no pain", "periods
 * regular") was read, even though it maps to no finding of its own.
 */
function isReadStatement(
  clause: Clause,
  from: number,
  to: number,
  isKnown: (norm: string) => boolean,
): boolean {
  let cue = false;
  for (let i = from; i < to; i++) {
    const t = clause.tokens[i]!;
    if (isNegationCue(t.raw) || REASSURANCE.has(t.raw)) cue = true;
    else if (!isNeutral(t.raw, t.norm) && !isKnown(t.norm)) return false;
  }
  return cue;
}

/** Adds one clause of `text` (with the indices of its tokens that matched a concept) to the tally. */
export function measureUnderstanding(
  text: string,
  clause: Clause,
  matched: ReadonlySet<number>,
  isKnown: (norm: string) => boolean,
  tally: UnderstandingTally,
): void {
  const tokens = clause.tokens;
  let from = 0;
  while (from < tokens.length) {
    let to = from + 1;
    while (to < tokens.length && !breaksBetween(clause, tokens[to - 1]!.word, tokens[to]!.word)) to++;
    let weight = 0;
    let understood = false;
    for (let i = from; i < to; i++) {
      const t = tokens[i]!;
      if (!isNeutral(t.raw, t.norm)) weight++;
      if (matched.has(i)) understood = true;
    }
    if (!understood && isReadStatement(clause, from, to, isKnown)) understood = true;
    if (weight > 0) {
      tally.total += weight;
      if (understood) tally.recognised += weight;
      else addPhrase(tally, text, tokens[from]!.start, tokens[to - 1]!.end);
    }
    from = to;
  }
}

function breaksBetween(clause: Clause, a: number, b: number): boolean {
  for (let w = a + 1; w < b; w++) if (PHRASE_BREAKS.has(clause.words[w]!)) return true;
  return false;
}
