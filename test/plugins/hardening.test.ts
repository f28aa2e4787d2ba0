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
