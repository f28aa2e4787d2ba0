import { createHmac } from 'node:crypto';

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs a JWT by hand (not through the library under test), so tests can build malformed tokens too. */
export function signJwt(
  claims: Record<string, unknown>,
  secret: string,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  const head = `${b64url(header)}.${b64url(claims)}`;
  if (header.alg === 'none') return `${head}.`;
  const algorithm = header.alg === 'HS512' ? 'sha512' : 'sha256';
  const signature = createHmac(algorithm, secret).update(head).digest('base64url');
  return `${head}.${signature}`;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
