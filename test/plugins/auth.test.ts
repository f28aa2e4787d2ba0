import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { SAMPLE_REQUEST, TEST_JWT_SECRET, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { backendClaims } from '../support/backend-client.ts';
import { nowSeconds, signJwt } from '../support/jwt.ts';

const HASHED_KEY = 'hashed-only-key-abcdef0123456789';

describe('authentication', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({
      API_KEYS: `alpha:${TEST_KEYS.alpha},hashed:sha256:${createHash('sha256').update(HASHED_KEY).digest('hex')}`,
      JWT_AUDIENCE: 'ai-diagnosis-service',
      JWT_ISSUER: 'tenderly-backend',
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  const diagnose = (headers: Record<string, string>) =>
    t.app.inject({ method: 'POST', url: '/v1/diagnose', headers, payload: SAMPLE_REQUEST });
  const goodClaims = () => ({
    sub: 'tenderly-backend-service',
    iat: nowSeconds(),
    exp: nowSeconds() + 3600,
    aud: 'ai-diagnosis-service',
    iss: 'tenderly-backend',
  });
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

  it('accepts a valid API key and a key configured only by its SHA-256', async () => {
    expect((await diagnose({ 'x-api-key': TEST_KEYS.alpha })).statusCode).toBe(200);
    expect((await diagnose({ 'x-api-key': HASHED_KEY })).statusCode).toBe(200);
  });

  it('rejects missing credentials and a wrong key with 401 in the error shape', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { 'x-api-key': 'wrong-key' },
      { 'x-api-key': `${TEST_KEYS.alpha}x` },
    ]) {
      const res = await diagnose(headers);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: { code: 'unauthorized' }, request_id: expect.any(String) });
    }
  });

  it('accepts a valid JWT with the configured issuer and audience', async () => {
    expect((await diagnose(bearer(signJwt(goodClaims(), TEST_JWT_SECRET)))).statusCode).toBe(200);
  });

  it.each([
    ['expired', () => signJwt({ ...goodClaims(), exp: nowSeconds() - 10 }, TEST_JWT_SECRET)],
    ['signed with another secret', () => signJwt(goodClaims(), 'another-secret-that-is-long-enough-xx')],
    ['alg none', () => signJwt(goodClaims(), TEST_JWT_SECRET, { alg: 'none', typ: 'JWT' })],
    ['HS512', () => signJwt(goodClaims(), TEST_JWT_SECRET, { alg: 'HS512', typ: 'JWT' })],
    ['of the wrong audience', () => signJwt({ ...goodClaims(), aud: 'someone-else' }, TEST_JWT_SECRET)],
    ['of the wrong issuer', () => signJwt({ ...goodClaims(), iss: 'mallory' }, TEST_JWT_SECRET)],
    ['without exp', () => signJwt({ ...goodClaims(), exp: undefined }, TEST_JWT_SECRET)],
    ['without sub', () => signJwt({ ...goodClaims(), sub: undefined }, TEST_JWT_SECRET)],
    // JWT_ISSUER/JWT_AUDIENCE are configured: the claims are required, not checked only when present.
    ['without iss', () => signJwt({ ...goodClaims(), iss: undefined }, TEST_JWT_SECRET)],
    ['without aud', () => signJwt({ ...goodClaims(), aud: undefined }, TEST_JWT_SECRET)],
    ['with only sub and exp', () => signJwt({ sub: 'svc', exp: nowSeconds() + 60 }, TEST_JWT_SECRET)],
    ['garbage', () => 'not.a.jwt'],
  ])('rejects a JWT %s', async (_name, token) => {
    const res = await diagnose(bearer(token()));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });

  it('accepts the legacy back end’s own token (iss and aud as it sends them)', async () => {
    expect((await diagnose(bearer(signJwt({ ...backendClaims() }, TEST_JWT_SECRET)))).statusCode).toBe(200);
  });

  it('accepts a token without iss/aud when JWT_ISSUER/JWT_AUDIENCE are not configured', async () => {
    const plain = await startTestApp({ DIAGNOSIS_PROVIDER: 'knowledge-base' });
    try {
      const res = await plain.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: bearer(signJwt({ sub: 'svc', exp: nowSeconds() + 60 }, TEST_JWT_SECRET)),
        payload: SAMPLE_REQUEST,
      });
      expect(res.statusCode).toBe(200);
    } finally {
      await plain.app.close();
    }
  });

  it('rejects a request when one of two presented credentials is invalid', async () => {
    const good = signJwt(goodClaims(), TEST_JWT_SECRET);
    expect((await diagnose({ 'x-api-key': 'wrong', ...bearer(good) })).statusCode).toBe(401);
    expect((await diagnose({ 'x-api-key': TEST_KEYS.alpha, ...bearer('bad.token.here') })).statusCode).toBe(
      401,
    );
    expect((await diagnose({ 'x-api-key': TEST_KEYS.alpha, ...bearer(good) })).statusCode).toBe(200);
  });

  it('answers 403 when the key does not belong to the service named in X-Service-Name', async () => {
    const res = await diagnose({ 'x-api-key': TEST_KEYS.alpha, 'x-service-name': 'beta' });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect((await diagnose({ 'x-api-key': TEST_KEYS.alpha, 'x-service-name': 'alpha' })).statusCode).toBe(
      200,
    );
  });

  it('keeps health and docs public', async () => {
    for (const url of ['/health/live', '/health', '/docs/json']) {
      expect((await t.app.inject({ url })).statusCode).toBe(200);
    }
  });

  it('authenticates before reading the body, so an anonymous bad body is a 401', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/diagnose', payload: { nonsense: true } });
    expect(res.statusCode).toBe(401);
  });
});
