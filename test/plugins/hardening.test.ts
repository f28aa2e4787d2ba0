import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';

const apps: TestApp[] = [];
async function start(env: Record<string, string | undefined> = {}) {
  const testApp = await startTestApp(env);
  apps.push(testApp);
  return testApp.app;
}
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()));
});

const errorShape = (code: string) => ({
  error: { code, message: expect.any(String) },
  request_id: expect.any(String),
});

/** What helmet sends with the service's options (src/http/security-headers.ts), written out so a change shows. */
const HELMET_HEADERS = {
  'content-security-policy': "default-src 'none';frame-ancestors 'none'",
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};

describe('HTTP hardening', () => {
  it('sends security headers and no-store on API answers', async () => {
    const app = await start();
    const res = await app.inject({ method: 'GET', url: '/health/live' });
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'none'");
    expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(res.headers['strict-transport-security']).toMatch(/max-age=31536000/);
    expect(res.headers['referrer-policy']).toBe('no-referrer');
    expect(res.headers['x-frame-options']).toBeDefined();
    expect(res.headers['cross-origin-resource-policy']).toBe('same-origin');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it("sends exactly helmet's headers on every answer, successes and errors alike", async () => {
    const app = await start({ RATE_LIMIT_MAX: '2' });
    const diagnose = (headers: Record<string, string>, payload: unknown = SAMPLE_REQUEST) =>
      app.inject({ method: 'POST', url: '/v1/diagnose', headers, payload: payload as object });
    const key = { 'x-api-key': TEST_KEYS.alpha };
    const answers = {
      200: await diagnose(key),
      400: await diagnose(key, { ...SAMPLE_REQUEST, severity: 'extreme' }),
      429: await diagnose(key),
      401: await diagnose({}),
      406: await diagnose({ 'x-api-key': TEST_KEYS.beta, accept: 'text/html' }),
      415: await diagnose({ 'x-api-key': TEST_KEYS.beta, 'content-type': 'text/plain' }, 'pain'),
      404: await app.inject({ method: 'GET', url: '/v1/nope' }),
    };
    for (const [status, res] of Object.entries(answers)) {
      expect(res.statusCode, status).toBe(Number(status));
      const security = Object.fromEntries(
        Object.keys(HELMET_HEADERS).map((name) => [name, res.headers[name]]),
      );
      expect(security, status).toEqual(HELMET_HEADERS);
      expect(res.headers['x-powered-by'], status).toBeUndefined();
    }
    // Nothing more and nothing less on a diagnosis: helmet's headers plus the service's own.
    expect(Object.keys(answers[200].headers).sort()).toEqual(
      [
        ...Object.keys(HELMET_HEADERS),
        'cache-control',
        'connection',
        'content-length',
        'content-type',
        'date',
        'vary',
        'x-ratelimit-limit',
        'x-ratelimit-remaining',
        'x-ratelimit-reset',
        'x-request-id',
      ].sort(),
    );
  });

  it('allows no cross-origin caller by default', async () => {
    const app = await start();
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/v1/diagnose',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    const simple = await app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { origin: 'https://app.example.com' },
    });
    expect(simple.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows exactly the origins in CORS_ORIGINS', async () => {
    const app = await start({ CORS_ORIGINS: 'https://app.example.com' });
    const allowed = await app.inject({
      method: 'OPTIONS',
      url: '/v1/diagnose',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST' },
    });
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.com');
    expect(String(allowed.headers['access-control-allow-headers'])).toMatch(/X-API-Key/i);

    const other = await app.inject({
      method: 'OPTIONS',
      url: '/v1/diagnose',
      headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
    });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses a body over BODY_LIMIT_BYTES with 413 in the error shape', async () => {
    const app = await start({ BODY_LIMIT_BYTES: '2048' });
    const res = await app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha, 'content-type': 'application/json' },
      payload: JSON.stringify({ ...SAMPLE_REQUEST, notes: 'x'.repeat(4000) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual(errorShape('payload_too_large'));
    expect(res.body).not.toContain('xxxx');
  });

  it('answers unknown routes with 404 in the error shape', async () => {
    const app = await start();
    const res = await app.inject({ method: 'GET', url: '/v1/nope?patient=secret' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(errorShape('not_found'));
    expect(res.body).not.toContain('secret');
  });

  it('refuses a non-JSON body with 415 in the error shape', async () => {
    const app = await start();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha, 'content-type': 'text/plain' },
      payload: 'symptoms: pain',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual(errorShape('unsupported_media_type'));
  });
});
