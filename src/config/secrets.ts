import type { Env } from './env.ts';

/** Minimum length of an API key or JWT secret: 32 random base64 characters carry about 190 bits. */
export const MIN_SECRET_LENGTH = 32;
/** A value this long made of so few distinct characters ("aaaa…", "0101…") was not drawn at random. */
const MIN_DISTINCT_CHARACTERS = 10;

/**
 * Values anyone can read: the legacy back end's default JWT secret (its AI_DIAGNOSIS_SECRET_KEY) and the
 * back-end key placeholder this repository's migration docs and tests use.
 */
const PUBLISHED = new Set([
  'shared-jwt-secret-key-for-ai-agent',
  'tndr_3f9a1c7e5b2d4f6a8c0e1b3d5f7a9c2e4b6d8f0a',
]);
/** Example-file placeholders (the Python service's and ours): "your-secret-key-here", "CHANGE-ME", … */
const PLACEHOLDER = /change[-_ ]?me|your[-_ ].*(key|secret)|replace[-_ ]?(me|this)|example|placeholder/i;

function weakness(value: string): string | null {
  if (PUBLISHED.has(value.toLowerCase()) || PLACEHOLDER.test(value))
    return 'is a published default or placeholder';
  if (value.length < MIN_SECRET_LENGTH) return `is shorter than ${MIN_SECRET_LENGTH} characters`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) return 'is not random (too few distinct characters)';
  return null;
}

/**
 * One line per weak credential, naming the variable (and the key's service) but never the value. Keys
 * configured as sha256:<hex> cannot be judged and are skipped.
 */
export function weakSecrets(env: Env): string[] {
  const lines: string[] = [];
  for (const pair of (env.API_KEYS ?? '').split(',')) {
    const at = pair.indexOf(':');
    if (at < 0) continue;
    const service = pair.slice(0, at).trim();
    const key = pair.slice(at + 1).trim();
    if (/^sha256:[0-9a-f]{64}$/i.test(key)) continue;
    const problem = weakness(key);
    if (problem) lines.push(`API_KEYS: the key of service "${service}" ${problem}`);
  }
  for (const name of ['API_KEY', 'JWT_SECRET', 'JWT_SECRET_KEY'] as const) {
    const value = env[name];
    const problem = value === undefined ? null : weakness(value);
    if (problem) lines.push(`${name}: the value ${problem}`);
  }
  return lines;
}
