/**
 * Model output is untrusted input. Before any of its free text reaches a client it becomes one plain,
 * short line: normalised like patient text, no markup (HTML, markdown), no links, e-mail addresses or
 * phone numbers (a model must not send a patient to a number or a site nobody checked), no control
 * characters, and clipped to a byte budget.
 */
import { normalizeText } from './normalize.ts';

const ENTITIES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
  '&apos;': "'",
  '&nbsp;': ' ',
};
const ENTITY = /&(?:amp|lt|gt|quot|#39|apos|nbsp);/gi;
/** Script and style elements go with their content; other tags lose only the tag. */
const SCRIPT_BLOCK = /<(script|style)\b[^>]{0,200}>[\s\S]{0,2000}?<\/\1\s*>/gi;
const TAG = /<\/?[a-z!?][^<>]{0,200}>/gi;
const MD_IMAGE = /!\[([^\]]{0,200})\]\([^)]{0,500}\)/g;
const MD_LINK = /\[([^\]]{0,200})\]\s?(?:\([^)]{0,500}\)|\[[^\]]{0,200}\])/g;
const MD_LINE_PREFIX = /^\s*(?:#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,3}[.)]\s+)/gm;
const MD_EMPHASIS = /\*+|~~|__|`+|^\s*[-=_*]{3,}\s*$|\|/gm;
const URL_WITH_SCHEME = /\b(?:https?|ftp|file|data|javascript|vbscript|mailto|tel|sms|callto|whatsapp):\S*/gi;
const WWW = /\bwww\.\S+/gi;
const EMAIL = /[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/gi;
/** A bare domain ("cures.example.com/x", "nhs.uk"); the TLD list keeps "e.g." and "approx." out. */
const BARE_DOMAIN =
  /\b(?:[a-z0-9-]{1,63}\.){1,8}(?:com|org|net|info|biz|io|co|uk|us|eu|de|fr|ru|cn|in|au|ca|xyz|top|app|health|me|ly|gl|gov|edu|int|online|site|shop|link|click)\b(?:\/\S*)?/gi;
/** Seven or more digits with phone-style separators; "999", "111", "140/90" and "1,200 mg" are left alone. */
const PHONE = /(?:\+|\b)\d(?:[\s().-]{0,3}\d){6,}/g;

/**
 * How much of a model's string is read at all, as a multiple of the bytes that may be kept: enough for
 * the markup and links that cleaning removes, and it keeps every pattern's cost linear in the cap.
 */
const READ_FACTOR = 4;

/** Removes markup, links and phone numbers, and makes the text one normalised line. */
export function plainModelText(text: string, maxChars = Infinity): string {
  const decoded = text.slice(0, maxChars).replace(ENTITY, (e) => ENTITIES[e.toLowerCase()] ?? e);
  return normalizeText(
    normalizeText(decoded)
      .replace(SCRIPT_BLOCK, ' ')
      .replace(TAG, ' ')
      .replace(MD_IMAGE, '$1')
      .replace(MD_LINK, '$1')
      .replace(MD_LINE_PREFIX, '')
      .replace(MD_EMPHASIS, '')
      .replace(URL_WITH_SCHEME, ' ')
      .replace(WWW, ' ')
      .replace(EMAIL, ' ')
      .replace(BARE_DOMAIN, ' ')
      .replace(PHONE, ' ')
      .replace(/\n/g, ' ')
      // What a removed link or number leaves behind: "call  now", "( )", "at :".
      .replace(/\(\s*\)|\[\s*\]/g, ' ')
      .replace(/\s+([.,;:!?])/g, '$1'),
  );
}

/** Bytes `text` takes inside a JSON document (UTF-8, quotes and backslashes escaped). */
export function jsonBytes(text: string): number {
  let extra = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) extra += 1;
  }
  return Buffer.byteLength(text, 'utf8') + extra;
}

const ELLIPSIS = '…';

/** `text` cut to at most `maxBytes` JSON bytes at a code-point boundary, with an ellipsis when cut. */
export function clipBytes(text: string, maxBytes: number): string {
  if (jsonBytes(text) <= maxBytes) return text;
  const budget = maxBytes - jsonBytes(ELLIPSIS);
  let used = 0;
  let end = 0;
  for (const ch of text) {
    const size = jsonBytes(ch);
    if (used + size > budget) break;
    used += size;
    end += ch.length;
  }
  return `${text.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** A model's free text as the service may relay it: plain, one line, at most `maxBytes`. */
export function cleanModelText(text: string, maxBytes: number): string {
  return clipBytes(plainModelText(text, maxBytes * READ_FACTOR), maxBytes);
}
