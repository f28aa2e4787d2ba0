import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { SAMPLE_REQUEST, TEST_JWT_SECRET, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { nowSeconds, signJwt } from '../support/jwt.ts';

const PATIENT_ID = '5f8d0d55b54764421b7156c9';
const FHIR_SUBJECT = 'Patient/SECRET-SUBJECT-e41c';

describe('logging privacy', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ modes: ['error500', 'valid'] }).start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test-SECRET-OPENAI',
      OPENAI_BASE_URL: fake.baseURL,
      LOG_LEVEL: 'trace',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  it('writes one line per request with route, status, duration, request id and principal', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha, 'x-request-id': 'req-privacy-1' },
      payload: SAMPLE_REQUEST,
    });
    expect(res.statusCode).toBe(200);
    const lines = t.logs
      .records()
      .filter((r) => r.reqId === 'req-privacy-1' && r.msg === 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'POST',
      route: '/v1/diagnose',
      status: 200,
      principal: 'alpha',
    });
    expect(typeof lines[0]?.duration_ms).toBe('number');
  });

  it('never logs symptoms, notes, ages, patient ids or credentials, even at trace level and on errors', async () => {
    const token = signJwt({ sub: 'svc', exp: nowSeconds() + 60 }, TEST_JWT_SECRET);
    const answered = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: {
        'x-api-key': TEST_KEYS.alpha,
        authorization: `Bearer ${token}`,
        'x-patient-id': PATIENT_ID,
        cookie: 'session=SECRET-COOKIE',
      },
      payload: {
        ...SAMPLE_REQUEST,
        patient: { age: 87 },
        symptoms: [...SAMPLE_REQUEST.symptoms, 'SECRET-PHRASE-9c2e glimmers'],
      },
    });
    // The client's FHIR patient reference, answered as FHIR and as JSON, and rejected when malformed.
    for (const accept of ['application/fhir+json', 'application/json']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: { 'x-api-key': TEST_KEYS.alpha, accept },
        payload: { ...SAMPLE_REQUEST, subject: FHIR_SUBJECT },
      });
      expect(res.statusCode).toBe(200);
    }
    await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha, accept: 'application/fhir+json' },
      payload: { ...SAMPLE_REQUEST, subject: 'Group/SECRET-SUBJECT-e41c' },
    });
    // A validation failure must not echo the rejected values into the logs either.
    await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha },
      payload: { ...SAMPLE_REQUEST, patient: { age: 7 }, unexpected: 'SECRET-UNKNOWN-FIELD' },
    });
    // The phrases the engine did not understand go back to the client, never into the logs.
    const unrecognized: string[] = answered.json().unrecognized;
    expect(unrecognized).toContain('SECRET-PHRASE-9c2e glimmers');
    const text = t.logs.text;
    expect(text.length).toBeGreaterThan(0);
    for (const phrase of unrecognized) expect(text).not.toContain(phrase);
    for (const secret of [
      ...SAMPLE_REQUEST.symptoms,
      SAMPLE_REQUEST.notes,
      'SECRET-NOTE-6b1f',
      PATIENT_ID,
      TEST_KEYS.alpha,
      token,
      'SECRET-COOKIE',
      'sk-test-SECRET-OPENAI',
      'SECRET-UNKNOWN-FIELD',
      '"age":87',
      'SECRET-SUBJECT-e41c',
    ]) {
      expect(text).not.toContain(secret);
    }
  });
});
