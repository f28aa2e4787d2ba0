import helmet, { type HelmetOptions } from 'helmet';

/** Helmet's settings for a JSON API (no HTML except /docs, whose CSP the docs plugin relaxes). */
const HELMET_OPTIONS = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
  },
  crossOriginResourcePolicy: { policy: 'same-origin' },
  hsts: { maxAge: 31_536_000, includeSubDomains: true },
  referrerPolicy: { policy: 'no-referrer' },
} satisfies HelmetOptions;

/**
 * The headers helmet sets with HELMET_OPTIONS, computed by helmet itself once: the security plugin adds
 * them to every answer, and answers written before any hook runs (a malformed URL, a header block too
 * large) carry them too.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = (() => {
  const headers: Record<string, string> = {};
  const res = {
    setHeader: (name: string, value: string | number) => (headers[name.toLowerCase()] = String(value)),
    removeHeader: (name: string) => delete headers[name.toLowerCase()],
  };
  helmet(HELMET_OPTIONS)({} as never, res as never, () => undefined);
  return headers;
})();
