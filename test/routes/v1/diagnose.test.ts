import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnoseResponse } from '../../../src/domain/schemas/diagnose.ts';
import { FakeOpenAI } from '../../support/fake-openai.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../../support/app.ts';

const AUTH = { 'x-api-key': TEST_KEYS.alpha };

describe('POST /v1/diagnose', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      BODY_LIMIT_BYTES: '4096',
      RATE_LIMIT_MAX: '100000',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  const post = (payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { ...AUTH, ...headers },
      payload: payload as Record<string, unknown>,
    });

  it('answers a valid request with a contract-true body and a disclaimer', async () => {
    const res = await post(SAMPLE_REQUEST);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(DiagnoseResponse.safeParse(body).success).toBe(true);
    expect(body.disclaimer.length).toBeGreaterThan(20);
    expect(body.engine).toEqual({ provider: 'openai', model: 'gpt-4o-mini', fallback: false });
    const probabilities = body.differential.map((d: { probability: number }) => d.probability);
    expect([...probabilities].sort((a, b) => b - a)).toEqual(probabilities);
  });

  it('says what it did not understand, computed from the text whichever provider answered', async () => {
    const res = await post({
      ...SAMPLE_REQUEST,
      symptoms: [...SAMPLE_REQUEST.symptoms, 'my left elbow clicks'],
    });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.engine.provider).toBe('openai');
    expect(body.unrecognized).toContain('left elbow clicks');
    expect(body.coverage).toBeGreaterThan(0);
    expect(body.coverage).toBeLessThan(1);
    const understood = (await post(SAMPLE_REQUEST)).json();
    expect(understood.unrecognized).not.toContain('left elbow clicks');
    expect(understood.coverage).toBeGreaterThan(body.coverage);
  });

  it('echoes a well-formed X-Request-ID and replaces a malformed one', async () => {
    const kept = await post(SAMPLE_REQUEST, { 'x-request-id': 'client-req.42:a_b-c' });
    expect(kept.headers['x-request-id']).toBe('client-req.42:a_b-c');
    const replaced = await post({ bad: true }, { 'x-request-id': 'has spaces and <script>' });
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(replaced.json().request_id).toBe(replaced.headers['x-request-id']);
    const tooLong = await post(SAMPLE_REQUEST, { 'x-request-id': 'a'.repeat(129) });
    expect(tooLong.headers['x-request-id']).not.toBe('a'.repeat(129));
  });

  const base = () => structuredClone(SAMPLE_REQUEST) as Record<string, any>;
  const cases: Array<[string, (b: Record<string, any>) => void, string]> = [
    ['age missing', (b) => delete b.patient.age, 'patient.age'],
    ['age below 10', (b) => (b.patient.age = 9), 'patient.age'],
    ['age above 120', (b) => (b.patient.age = 121), 'patient.age'],
    ['age not an integer', (b) => (b.patient.age = 30.5), 'patient.age'],
    ['age as a string', (b) => (b.patient.age = '30'), 'patient.age'],
    ['unknown pregnancy status', (b) => (b.patient.pregnancy_status = 'maybe'), 'patient.pregnancy_status'],
    [
      'gestational weeks without pregnancy',
      (b) => (b.patient.gestational_weeks = 12),
      'patient.gestational_weeks',
    ],
    [
      'gestational weeks out of range',
      (b) => Object.assign(b.patient, { pregnancy_status: 'pregnant', gestational_weeks: 46 }),
      'patient.gestational_weeks',
    ],
    ['unknown menopausal status', (b) => (b.patient.menopausal_status = 'post'), 'patient.menopausal_status'],
    ['symptoms missing', (b) => delete b.symptoms, 'symptoms'],
    ['no symptoms', (b) => (b.symptoms = []), 'symptoms'],
    ['31 symptoms', (b) => (b.symptoms = Array.from({ length: 31 }, (_, i) => `symptom ${i}`)), 'symptoms'],
    ['a one-letter symptom after trimming', (b) => (b.symptoms = ['  x  ']), 'symptoms.0'],
    ['a 201-character symptom', (b) => (b.symptoms = ['y'.repeat(201)]), 'symptoms.0'],
    ['unknown onset', (b) => (b.onset = 'yesterday'), 'onset'],
    ['unknown severity', (b) => (b.severity = 'extreme'), 'severity'],
    ['duration over 50 characters', (b) => (b.duration = 'd'.repeat(51)), 'duration'],
    ['temperature out of range', (b) => (b.vitals = { temperature_c: 46 }), 'vitals.temperature_c'],
    ['heart rate out of range', (b) => (b.vitals = { heart_rate_bpm: 10 }), 'vitals.heart_rate_bpm'],
    [
      'respiratory rate out of range',
      (b) => (b.vitals = { respiratory_rate: 61 }),
      'vitals.respiratory_rate',
    ],
    ['systolic out of range', (b) => (b.vitals = { systolic_bp: 300 }), 'vitals.systolic_bp'],
    ['diastolic out of range', (b) => (b.vitals = { diastolic_bp: 10 }), 'vitals.diastolic_bp'],
    [
      'oxygen saturation out of range',
      (b) => (b.vitals = { oxygen_saturation: 101 }),
      'vitals.oxygen_saturation',
    ],
    [
      '31 history items',
      (b) => (b.medical_history = Array.from({ length: 31 }, () => 'asthma')),
      'medical_history',
    ],
    ['a 201-character medication', (b) => (b.medications = ['m'.repeat(201)]), 'medications.0'],
    ['allergies not a list', (b) => (b.allergies = 'penicillin'), 'allergies'],
    ['notes over 2000 characters', (b) => (b.notes = 'n'.repeat(2001)), 'notes'],
    ['an unknown top-level field', (b) => (b.patient_id = 'abc'), 'patient_id'],
    ['an unknown nested field', (b) => (b.patient.name = 'Jane'), 'patient.name'],
    ['an unknown vitals field', (b) => (b.vitals = { bmi: 22 }), 'vitals.bmi'],
  ];

  it.each(cases)('rejects %s with 400 naming the field', async (_name, mutate, path) => {
    const body = base();
    mutate(body);
    const callsBefore = fake.calls;
    const res = await post(body);
    expect(res.statusCode).toBe(400);
    const json = res.json();
    expect(json.error.code).toBe('validation_failed');
    expect(json.error.details.map((d: { path: string }) => d.path)).toContain(path);
    expect(fake.calls).toBe(callsBefore); // bad input changes nothing upstream
  });

  it('accepts boundary values', async () => {
    const body = base();
    body.patient = {
      age: 10,
      pregnancy_status: 'pregnant',
      gestational_weeks: 45,
      menopausal_status: 'unknown',
    };
    body.vitals = {
      temperature_c: 30,
      heart_rate_bpm: 250,
      respiratory_rate: 4,
      systolic_bp: 260,
      diastolic_bp: 20,
      oxygen_saturation: 100,
    };
    body.symptoms = Array.from({ length: 30 }, (_, i) => `s${i}`);
    body.duration = 'd'.repeat(50);
    body.notes = 'n'.repeat(2000);
    const res = await post(body);
    expect(res.statusCode).toBe(200);
  });

  it('rejects a body that is not JSON with 415', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { ...AUTH, 'content-type': 'text/plain' },
      payload: 'symptoms: pain',
    });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.code).toBe('unsupported_media_type');
  });

  it('rejects malformed JSON with 400 without echoing it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { ...AUTH, 'content-type': 'application/json' },
      payload: '{"symptoms": ["SECRET-FRAGMENT"',
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('invalid_request');
    expect(res.body).not.toContain('SECRET-FRAGMENT');
  });

  it('rejects a body over BODY_LIMIT_BYTES with 413', async () => {
    const res = await post({ ...base(), notes: 'n'.repeat(5000) });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');
  });

  it('answers unknown routes and methods with 404 in the error shape', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/diagnose' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ error: { code: 'not_found' }, request_id: expect.any(String) });
  });
});
