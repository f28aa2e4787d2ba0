import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { injectPastShedding as inject } from '../support/shed-retry.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { nowSeconds } from '../support/jwt.ts';
import {
  BACKEND_API_KEY,
  BACKEND_ENV,
  CONTRACT_CALL_A,
  backendClaims,
  backendToken,
  callAHeaders,
  callBHeaders,
  contractCallB,
} from '../support/backend-client.ts';

const PATIENT_ID = '5f8d0d55b54764421b7156c9';
const OTHER_KEY = 'other-service-key-0123456789abcdef';
const FLAT_A = CONTRACT_CALL_A.diagnosis_request;
const headersA = (over: Record<string, string> = {}) => ({
  ...callAHeaders({ patientId: PATIENT_ID, ms: 1732528800000, attempt: 1 }),
  ...over,
});
const keyOnly = {
  'x-api-key': BACKEND_API_KEY,
  'x-service-name': 'tenderly-backend',
  'content-type': 'application/json',
};

describe('legacy routes', () => {
  let fake: FakeOpenAI;
  let t: TestApp;
  const lastPrompt = () => {
    const body = fake.requests.at(-1)?.body as { messages: Array<{ content: string }> };
    return body.messages.at(-1)?.content ?? '';
  };
  const post = (url: string, payload: unknown, headers: Record<string, string> = headersA()) =>
    inject(t.app, {
      method: 'POST',
      url,
      headers,
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    });

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({
      ...BACKEND_ENV,
      API_KEYS: `other-service:${OTHER_KEY}`,
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: fake.baseURL,
      LOG_LEVEL: 'trace',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  describe('bodies and paths', () => {
    it.each([
      ['wrapped, trailing slash', '/api/v1/diagnosis/', CONTRACT_CALL_A],
      ['flat, trailing slash', '/api/v1/diagnosis/', FLAT_A],
      ['wrapped, no trailing slash', '/api/v1/diagnosis', CONTRACT_CALL_A],
      ['flat, no trailing slash', '/api/v1/diagnosis', FLAT_A],
    ])('call A %s → 200', async (_name, url, body) => {
      const res = await post(url, body);
      expect(res.statusCode).toBe(200);
      expect(res.json().diagnosis).toBeTruthy();
    });

    it.each([
      ['wrapped', '/api/v1/diagnosis/structure', contractCallB()],
      ['flat', '/api/v1/diagnosis/structure/', contractCallB().structured_request],
    ])('call B %s → 200', async (_name, url, body) => {
      const res = await post(url, body, callBHeaders());
      expect(res.statusCode).toBe(200);
      expect(res.json().request_id).toBe('test_integration_001');
    });

    it('call B with only the required fields, and a boolean fatigue → 200', async () => {
      const body = {
        structured_request: {
          patient_profile: { age: 10, request_id: 'req-min' },
          primary_complaint: { main_symptom: 'pelvic pain' },
          associated_symptoms: { systemic: { fatigue: true } },
        },
      };
      const res = await post('/api/v1/diagnosis/structure', body, callBHeaders());
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        request_id: 'req-min',
        patient_age: 10,
        primary_symptom: 'pelvic pain',
      });
      const sent = JSON.parse(lastPrompt().split('<patient_data>')[1]!.split('</patient_data>')[0]!);
      expect(sent.symptoms).toEqual(['pelvic pain', 'fatigue']);
    });

    it('passes medical_history and additional_notes of call A to the engine', async () => {
      await post('/api/v1/diagnosis/', {
        diagnosis_request: { ...FLAT_A, medical_history: ['PCOS'], additional_notes: 'worse at night' },
      });
      const prompt = lastPrompt();
      expect(prompt).toContain('PCOS');
      expect(prompt).toContain('worse at night');
    });
  });

  describe("validation errors: 422 in FastAPI's shape", () => {
    it('4 symptoms → 422 with detail[].loc including diagnosis_request when wrapped', async () => {
      const res = await post('/api/v1/diagnosis/', {
        diagnosis_request: { ...FLAT_A, symptoms: ['aa', 'bb', 'cc', 'dd'] },
      });
      expect(res.statusCode).toBe(422);
      expect(res.json()).toEqual({
        detail: [
          {
            type: 'too_long',
            loc: ['body', 'diagnosis_request', 'symptoms'],
            msg: 'List should have at most 3 items after validation, not 4',
            ctx: { field_type: 'List', max_length: 3, actual_length: 4 },
          },
        ],
      });
      const flat = await post('/api/v1/diagnosis/', { ...FLAT_A, symptoms: ['aa', 'bb', 'cc', 'dd'] });
      expect(flat.json().detail[0].loc).toEqual(['body', 'symptoms']);
    });

    it.each([
      [
        '/api/v1/diagnosis/',
        { diagnosis_request: { ...FLAT_A, patient_age: 11 } },
        ['body', 'diagnosis_request', 'patient_age'],
      ],
      [
        '/api/v1/diagnosis/',
        { diagnosis_request: { ...FLAT_A, patient_age: 101 } },
        ['body', 'diagnosis_request', 'patient_age'],
      ],
      [
        '/api/v1/diagnosis/structure',
        {
          structured_request: {
            patient_profile: { age: 9, request_id: 'r' },
            primary_complaint: { main_symptom: 'pain' },
          },
        },
        ['body', 'structured_request', 'patient_profile', 'age'],
      ],
      [
        '/api/v1/diagnosis/structure',
        { patient_profile: { age: 101, request_id: 'r' }, primary_complaint: { main_symptom: 'pain' } },
        ['body', 'patient_profile', 'age'],
      ],
    ])('age out of bounds on %s → 422 at %j', async (url, body, loc) => {
      const res = await post(url, body, callBHeaders());
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toEqual([
        expect.objectContaining({ loc, type: expect.stringMatching(/^(greater|less)_than_equal$/) }),
      ]);
    });

    it('accepts the age bounds (12 and 100 for call A)', async () => {
      expect((await post('/api/v1/diagnosis/', { ...FLAT_A, patient_age: 12 })).statusCode).toBe(200);
      expect((await post('/api/v1/diagnosis/', { ...FLAT_A, patient_age: 100 })).statusCode).toBe(200);
    });

    it('missing required structured fields → 422 "missing" per field', async () => {
      const res = await post(
        '/api/v1/diagnosis/structure',
        { structured_request: { patient_profile: { age: 30 } } },
        callBHeaders(),
      );
      expect(res.statusCode).toBe(422);
      expect(res.json().detail).toEqual([
        {
          type: 'missing',
          loc: ['body', 'structured_request', 'patient_profile', 'request_id'],
          msg: 'Field required',
        },
        { type: 'missing', loc: ['body', 'structured_request', 'primary_complaint'], msg: 'Field required' },
      ]);
    });

    it('malformed JSON and an empty body → 422, no model call', async () => {
      const before = fake.calls;
      const bad = await post('/api/v1/diagnosis/', '{"diagnosis_request": {');
      expect(bad.statusCode).toBe(422);
      expect(bad.json().detail[0]).toMatchObject({ type: 'json_invalid', loc: ['body', 0] });
      const empty = await inject(t.app, { method: 'POST', url: '/api/v1/diagnosis/', headers: headersA() });
      expect(empty.statusCode).toBe(422);
      expect(empty.json()).toEqual({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required' }] });
      expect(fake.calls).toBe(before);
    });

    it('413 and 415 carry {"detail": "..."}', async () => {
      const big = await post('/api/v1/diagnosis/', { ...FLAT_A, additional_notes: 'x'.repeat(70_000) });
      expect(big.statusCode).toBe(413);
      expect(big.json()).toEqual({ detail: expect.any(String) });
      const text = await inject(t.app, {
        method: 'POST',
        url: '/api/v1/diagnosis/',
        headers: headersA({ 'content-type': 'text/plain' }),
        payload: 'pelvic pain',
      });
      expect(text.statusCode).toBe(415);
      expect(text.json()).toEqual({ detail: expect.any(String) });
    });

    it('unknown legacy path → 404 {"detail": "Not Found"}', async () => {
      const res = await inject(t.app, { method: 'GET', url: '/api/v1/nothing-here', headers: keyOnly });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ detail: 'Not Found' });
    });
  });

  describe('authentication, exactly as v1', () => {
    it("the back end's JWT alone is accepted (aud/iss checked)", async () => {
      const { 'x-api-key': _key, ...jwtOnly } = headersA();
      expect((await post('/api/v1/diagnosis/', CONTRACT_CALL_A, jwtOnly)).statusCode).toBe(200);
    });

    it('the API key alone is accepted', async () => {
      expect((await post('/api/v1/diagnosis/', CONTRACT_CALL_A, keyOnly)).statusCode).toBe(200);
    });

    it.each([
      ['no credentials', { 'content-type': 'application/json' }],
      ['a wrong API key', headersA({ 'x-api-key': 'wrong-key-0123456789abcdef0123456789abcdef' })],
      [
        'a JWT signed with another secret',
        headersA({
          authorization: `Bearer ${backendToken({ secret: 'another-secret-that-is-long-enough-1234' })}`,
        }),
      ],
      [
        'an expired JWT',
        headersA({ authorization: `Bearer ${backendToken({ claims: { exp: nowSeconds() - 10 } })}` }),
      ],
      [
        'a JWT for another audience',
        headersA({
          authorization: `Bearer ${backendToken({ claims: { ...backendClaims(), aud: 'someone-else' } })}`,
        }),
      ],
    ])('%s → 401 {"detail": "..."}', async (_name, headers) => {
      const res = await post('/api/v1/diagnosis/', CONTRACT_CALL_A, headers);
      expect(res.statusCode).toBe(401);
      expect(res.json()).toEqual({ detail: expect.any(String) });
    });

    it('the key of another service → 403 {"detail": "..."}', async () => {
      const res = await post('/api/v1/diagnosis/', CONTRACT_CALL_A, { ...keyOnly, 'x-api-key': OTHER_KEY });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ detail: expect.any(String) });
    });

    it('validate requires the key too', async () => {
      expect(
        (await post('/api/v1/diagnosis/validate', ['itching'], { 'content-type': 'application/json' }))
          .statusCode,
      ).toBe(401);
      const res = await post('/api/v1/diagnosis/validate', ['Itching', 'x', ' pelvic pain '], keyOnly);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({
        valid: ['itching', 'pelvic pain'],
        invalid: ['x'],
        valid_count: 2,
        invalid_count: 1,
      });
    });
  });

  describe('health', () => {
    it("is public: no credentials, or the back end's (even wrong ones), get the same answer", async () => {
      for (const headers of [{}, keyOnly, { 'x-api-key': 'wrong', 'x-service-name': 'nobody' }]) {
        for (const url of [
          '/api/v1/health/',
          '/api/v1/health',
          '/api/v1/health/live',
          '/api/v1/health/ready',
        ]) {
          expect((await inject(t.app, { url, headers })).statusCode, url).toBe(200);
        }
      }
    });

    it('is 503 when a required dependency is down (live stays 200), without calling the model', async () => {
      const before = fake.calls;
      t.app.readinessChecks.push({
        name: 'test-dependency',
        required: true,
        check: async () => ({ status: 'down' }),
      });
      try {
        const health = await inject(t.app, { url: '/api/v1/health/', headers: keyOnly });
        expect(health.statusCode).toBe(503);
        expect(health.json()).toMatchObject({
          status: 'unhealthy',
          services: { 'test-dependency': 'unhealthy' },
        });
        expect((await inject(t.app, { url: '/api/v1/health/ready' })).statusCode).toBe(503);
        expect((await inject(t.app, { url: '/api/v1/health/live' })).statusCode).toBe(200);
      } finally {
        t.app.readinessChecks.pop();
      }
      expect(fake.calls).toBe(before);
    });
  });

  it('documents the legacy routes in the OpenAPI document', async () => {
    const doc = (await inject(t.app, { url: '/docs/json' })).json();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/diagnosis/', '/api/v1/diagnosis/structure', '/api/v1/health/']),
    );
  });

  it('logs neither the X-Patient-ID nor the body', async () => {
    await post('/api/v1/diagnosis/', {
      diagnosis_request: { ...FLAT_A, additional_notes: 'SECRET-NOTE-71c2' },
    });
    await post('/api/v1/diagnosis/', {
      diagnosis_request: { ...FLAT_A, symptoms: ['SECRET-SYMPTOM-9f'], patient_age: 7 },
    });
    expect(t.logs.text).not.toContain(PATIENT_ID);
    expect(t.logs.text).not.toContain('SECRET-');
  });
});

describe('legacy routes when the engine fails and there is no fallback', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ modes: ['error500'] }).start();
    t = await startTestApp({
      ...BACKEND_ENV,
      DIAGNOSIS_PROVIDER: 'openai',
      DIAGNOSIS_FALLBACK: 'none',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MAX_RETRIES: '0',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  it.each(['error500', 'invalid'] as const)(
    'upstream %s → 503 {"detail"} with Retry-After, never upstream text',
    async (mode) => {
      fake.setModes([mode]);
      const res = await inject(t.app, {
        method: 'POST',
        url: '/api/v1/diagnosis/',
        headers: callAHeaders({ patientId: PATIENT_ID, ms: 1, attempt: 1 }),
        payload: JSON.stringify(CONTRACT_CALL_A),
      });
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(res.json()).toEqual({ detail: expect.any(String) });
      expect(res.body).not.toContain('secret upstream detail');
    },
  );
});

describe('legacy routes under the rate limit', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({
      ...BACKEND_ENV,
      DIAGNOSIS_PROVIDER: 'knowledge-base',
      RATE_LIMIT_REQUESTS: '2',
      RATE_LIMIT_WINDOW: '60',
      AUTH_FAILURE_LIMIT: '2',
    });
  });
  afterAll(async () => t.app.close());

  it('429 {"detail": "..."} with Retry-After past the limit', async () => {
    const call = () =>
      inject(t.app, {
        method: 'POST',
        url: '/api/v1/diagnosis/',
        headers: callBHeaders(),
        payload: JSON.stringify(CONTRACT_CALL_A),
      });
    expect((await call()).statusCode).toBe(200);
    expect((await call()).statusCode).toBe(200);
    const limited = await call();
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
    expect(limited.json()).toEqual({ detail: expect.any(String) });
  });

  it('an address blocked after repeated 401s gets 429 in the FastAPI shape too', async () => {
    const wrong = {
      ...callBHeaders(),
      'x-api-key': 'wrong-key-0123456789abcdef0123456789abcdef',
      'x-forwarded-for': '',
    };
    const call = () =>
      inject(t.app, {
        method: 'POST',
        url: '/api/v1/diagnosis/structure',
        headers: wrong,
        payload: '{}',
        remoteAddress: '10.9.8.7',
      });
    expect((await call()).statusCode).toBe(401);
    expect((await call()).statusCode).toBe(401);
    const blocked = await call();
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toEqual({ detail: expect.any(String) });
  });
});
