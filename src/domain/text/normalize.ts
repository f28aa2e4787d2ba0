/**
 * The one normalisation every free-text field gets at the boundary, before anything reads it (red-flag
 * rules, vocabulary, knowledge base, medication screening, the model's prompt). It makes text that
 * looks the same to a person the same to the engine: fullwidth letters, zero-width spaces pasted from
 * phones, soft hyphens, bidi controls and typographic quotes and dashes all reduce to plain text.
 * Case and diacritics are kept (the model and the clinician read them); `foldForMatching` removes them
 * on the matching side only.
 */

/** Format characters (zero-width space/joiners, soft hyphen, bidi controls, BOM, tag characters). */
const FORMAT = /\p{Cf}/gu;
/** Line breaks of every kind, including the ones NFKC leaves alone. */
const LINE_BREAK = /\r\n?|[\n\v\f\u0085\u2028\u2029]/g;
/** Control characters other than tab and line feed: invisible, so removed like format characters. */
const CONTROL = /[^\P{Cc}\t\n]/gu;
const SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u2032\u2035\u00b4\u02b9\u02bc\u02c8]/g;
const DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u2033\u2036\u00ab\u00bb\u02ba]/g;
/** Every dash and hyphen (Unicode Pd) and the minus sign. */
const DASHES = /[\p{Pd}\u2212]/gu;
/** Anything but printable ASCII, or spaces that are doubled, leading or trailing. */
const NEEDS_WORK = /[^\x20-\x7e]| {2}|^ | $/;
/** Horizontal whitespace of every kind (NBSP, em space, ideographic space… NFKC maps most to U+0020). */
const SPACES = /[\t\p{Zs}]+/gu;

/**
 * NFKC, format and control characters removed, quotes/dashes/whitespace unified, trimmed. Line breaks
 * are kept (one per break) because they end a clause for negation. Idempotent.
 */
export function normalizeText(text: string): string {
  // Most text is already plain printable ASCII with single spaces: nothing to do (and 10× cheaper).
  if (!NEEDS_WORK.test(text)) return text;
  // Quotes are unified before NFKC too, which would otherwise split "´" and "″" into other forms.
  return unifyPunctuation(unifyPunctuation(text.replace(FORMAT, '')).normalize('NFKC').replace(FORMAT, ''))
    .replace(LINE_BREAK, '\n')
    .replace(CONTROL, '')
    .replace(SPACES, ' ')
    .replace(/ ?\n[\n ]*/g, '\n')
    .trim();
}

function unifyPunctuation(text: string): string {
  return text.replace(SINGLE_QUOTES, "'").replace(DOUBLE_QUOTES, '"').replace(DASHES, '-');
}

/** Letters NFKD does not decompose, folded to what an English speaker would type. */
const LIGATURES: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  ł: 'l',
  đ: 'd',
  ı: 'i',
};
const COMBINING = /\p{M}/gu;
const ASCII = /^\p{ASCII}*$/u;
const UNFOLDED = /[ßæœøłđı]/g;

/**
 * The matching side's fold: lower case, no diacritics ("Hämorrhagie" ~ "hamorrhagie", "É" ~ "e"), and
 * compatibility forms and format characters gone even when the text skipped `normalizeText`.
 */
export function foldForMatching(text: string): string {
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .replace(FORMAT, '')
    .normalize('NFKD')
    .replace(COMBINING, '')
    .toLowerCase()
    .replace(UNFOLDED, (c) => LIGATURES[c] ?? c);
}

/**
 * `normalizeText` applied to every string of a parsed JSON value, object keys included (clients put
 * findings in keys: `{"flow_intensity": "heavy"}`). Numbers, booleans and null are kept as they are.
 */
export function normalizeStrings<T>(value: T): T {
  if (typeof value === 'string') return normalizeText(value) as T;
  if (Array.isArray(value)) return value.map((item: unknown) => normalizeStrings(item)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value)) out[normalizeText(key)] = normalizeStrings(inner);
  return out as T;
}
