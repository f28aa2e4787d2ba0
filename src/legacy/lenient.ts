/**
 * Readers for the loosely typed fields of the structured call: clients send yes/no answers as
 * booleans, "yes"/"no", "moderate", 1 or 0, and lists as arrays or comma-separated strings.
 */

export interface Answer {
  /** true present, false absent, null not known. */
  readonly present: boolean | null;
  /** The client's own word when it said more than yes ("intermittent", "severe"). */
  readonly detail?: string;
}

const NEGATIVE = /^(no|n|false|0|none|nil|nothing|absent|not present|never|negative|denies|nope|not at all)$/;
const UNKNOWN = /^(unknown|not sure|unsure|don'?t know|do not know|n\/?a|not applicable|\?|-)$/;
const POSITIVE = /^(yes|y|true|1|present|positive|yes please)$/;
const MAYBE =
  /^(maybe|possibly|possible|perhaps|might be|could be|not sure|unsure|don'?t know|do not know|unknown)$/;

export function readYesNo(value: unknown): Answer {
  if (typeof value === 'boolean') return { present: value };
  if (typeof value === 'number') return { present: Number.isFinite(value) ? value !== 0 : null };
  if (typeof value !== 'string') return { present: null };
  const text = value.trim();
  const lower = text.toLowerCase();
  if (!lower || UNKNOWN.test(lower)) return { present: null };
  if (NEGATIVE.test(lower)) return { present: false };
  if (POSITIVE.test(lower)) return { present: true };
  return { present: true, detail: text.slice(0, 100) };
}

/** "Could you be pregnant?": uncertainty counts as yes, so an ectopic pregnancy is not ruled out by a shrug. */
export function readPossibility(value: unknown): boolean | null {
  if (typeof value === 'string' && MAYBE.test(value.trim().toLowerCase())) return true;
  return readYesNo(value).present;
}

const EMPTY_ITEM = /^(none|no|nil|nothing|n\/?a|not applicable|-|—|null|undefined)$/i;

/** A list from an array or a comma/semicolon/newline-separated string; "none" and blanks dropped. */
export function readList(value: unknown): string[] {
  const raw: unknown[] = Array.isArray(value)
    ? value
    : typeof value === 'string'
      ? value.split(/[,;\n]/)
      : [];
  const out: string[] = [];
  for (const item of raw) {
    if (typeof item !== 'string' && typeof item !== 'number') continue;
    const text = String(item).trim();
    if (text && !EMPTY_ITEM.test(text)) out.push(text);
  }
  return out;
}

/** Free text from a string or number; blank and "none" read as absent. */
export function readText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  return text && !EMPTY_ITEM.test(text) ? text : undefined;
}

export function humanizeKey(key: string): string {
  return key
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .trim()
    .toLowerCase();
}

export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** A whole-number string ("28") as a number, as Pydantic's lax mode read it; anything else unchanged. */
export function integerFromString(value: unknown): unknown {
  return typeof value === 'string' && /^\s*\d{1,3}\s*$/.test(value) ? Number(value) : value;
}
