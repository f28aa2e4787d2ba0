/**
 * Replays the NestJS back end's calls byte for byte (headers, its JWT with the default secret, the
 * contract's bodies) against the running app, with the knowledge base and with a fake OpenAI server,
 * and checks every field the back end reads and what it would then decide.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import {
  BACKEND_ENV,
  BackendClient,
  CONTRACT_CALL_A,
  backendAcceptsCallA,
  contractCallB,
  decideCallA,
  decideCallB,
} from '../support/backend-client.ts';

const PATIENT_ID = '6650f1c2a9b3e4d5f6a7b8c9';

const EMERGENCY_A = {
  diagnosis_request: {
    symptoms: ['severe pelvic pain', 'vaginal bleeding', 'shoulder tip pain'],
    patient_age: 28,
    severity_level: 'severe',
    duration: '6 hours',
    medical_history: [],
    additional_notes: 'Missed period, positive pregnancy test',
  },
};

const ROUTINE_A = {
  diagnosis_request: {
    symptoms: ['itchy vulva', 'thick white cottage cheese discharge'],
    patient_age: 31,
    severity_level: 'mild',
    duration: '4 days',
    medical_history: [],
    additional_notes: '',
  },
};

type StructuredCall = ReturnType<typeof contractCallB>;

/** The contract's call B body with the clinical content replaced. */
function structured(o: {
  requestId: string;
  complaint: Record<string, unknown>;
  characteristics: Record<string, unknown>;
  couldBePregnant: boolean;
  allergies: string[];
  associated: Record<string, unknown>;
}) {
  const base = contractCallB(o.requestId).structured_request;
  return {
    structured_request: {
      ...base,
      primary_complaint: o.complaint,
      symptom_specific_details: { symptom_characteristics: o.characteristics },
      reproductive_history: {
        ...base.reproductive_history,
        pregnancy_status: { could_be_pregnant: o.couldBePregnant, pregnancy_test_result: 'not done' },
      },
      associated_symptoms: o.associated,
      medical_context: { ...base.medical_context, allergies: o.allergies, previous_gynecological_issues: [] },
    },
  } as unknown as StructuredCall;
}

const EMERGENCY_B = structured({
  requestId: 'req_emergency_b',
  complaint: {
    main_symptom: 'Severe lower abdominal pain',
    duration: '6 hours',
    severity: 'severe',
    onset: 'sudden',
    progression: 'worsening',
  },
  characteristics: { vaginal_bleeding: true, shoulder_tip_pain: true, pain_side: 'right' },
  couldBePregnant: true,
  allergies: ['penicillin'],
  associated: {
    pain: { pelvic_pain: 'severe', vulvar_irritation: 'none' },
    systemic: { fatigue: false, nausea: true, fever: false },
  },
});

const ROUTINE_B = structured({
  requestId: 'req_routine_b',
  complaint: {
    main_symptom: 'Vaginal itching',
    duration: '4 days',
    severity: 'mild',
    onset: 'gradual',
    progression: 'stable',
  },
  characteristics: { discharge: 'thick white cottage cheese', odor: 'none', itching: true },
  couldBePregnant: false,
  allergies: ['penicillin'],
  associated: {
    pain: { pelvic_pain: 'none', vulvar_irritation: 'yes' },
    systemic: { fatigue: false, nausea: false, fever: false },
  },
});

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Every call A field the back end reads, with its type and range. */
function expectCallAContract(body: Record<string, unknown>): void {
  expect(() => backendAcceptsCallA(body)).not.toThrow();
  expect(body.diagnosis).toEqual(expect.stringMatching(/\S/));
  expect(body.confidence_score).toBeGreaterThan(0);
  expect(body.confidence_score).toBeLessThanOrEqual(1);
  for (const i of body.suggested_investigations as Array<Record<string, unknown>>) {
    expect(i).toEqual({
      name: expect.stringMatching(/\S/),
      priority: expect.stringMatching(/^(low|medium|high)$/),
      reason: expect.any(String),
    });
  }
  for (const m of body.recommended_medications as Array<Record<string, unknown>>) {
    expect(m).toMatchObject({
      name: expect.any(String),
      dosage: expect.any(String),
      frequency: expect.any(String),
      duration: expect.any(String),
      reason: expect.any(String),
    });
    if ('notes' in m) expect(typeof m.notes).toBe('string');
  }
  expect(Array.isArray(body.lifestyle_advice)).toBe(true);
  for (const a of body.lifestyle_advice as unknown[]) expect(typeof a).toBe('string');
  expect(typeof body.follow_up_recommendations).toBe('string');
  expect(body.disclaimer).toEqual(expect.stringMatching(/\S/));
  expect(body.timestamp).toMatch(ISO);
}

function expectStringArray(value: unknown): void {
  expect(Array.isArray(value)).toBe(true);
  for (const v of value as unknown[]) expect(typeof v).toBe('string');
}

/** Every call B field in the contract, with its type and range. */
function expectCallBContract(body: Record<string, any>, request: StructuredCall): void {
  const sent = request.structured_request;
  expect(body.request_id).toBe(sent.patient_profile.request_id);
  expect(body.patient_age).toBe(sent.patient_profile.age);
  expect(body.primary_symptom).toBe(sent.primary_complaint.main_symptom);
  expect(body.possible_diagnoses.length).toBeGreaterThan(0);
  for (const d of body.possible_diagnoses) {
    expect(d).toMatchObject({ name: expect.stringMatching(/\S/), description: expect.any(String) });
    expect(d.confidence_score).toBeGreaterThanOrEqual(0);
    expect(d.confidence_score).toBeLessThanOrEqual(1);
  }
  expect(body.confidence_score).toBeGreaterThan(0);
  expect(body.confidence_score).toBeLessThanOrEqual(1);
  expect(['low', 'moderate', 'high', 'urgent']).toContain(body.risk_assessment.urgency_level);
  expectStringArray(body.risk_assessment.red_flags);
  expectStringArray(body.risk_assessment.when_to_seek_emergency_care);
  expect(typeof body.clinical_reasoning).toBe('string');
  expectStringArray(body.differential_considerations);
  for (const i of body.recommended_investigations) expect(['low', 'medium', 'high']).toContain(i.priority);
  const allergy = body.safety_assessment.allergy_considerations;
  expectStringArray(allergy.allergic_medications);
  expectStringArray(allergy.safe_alternatives);
  expectStringArray(allergy.contraindicated_drugs);
  expectStringArray(body.safety_assessment.condition_interactions);
  expectStringArray(body.safety_assessment.safety_warnings);
  const t = body.treatment_recommendations;
  expect(typeof t.primary_treatment).toBe('string');
  expect(Array.isArray(t.safe_medications)).toBe(true);
  expectStringArray(t.lifestyle_modifications);
  expectStringArray(t.dietary_advice);
  expect(typeof t.follow_up_timeline).toBe('string');
  expectStringArray(body.patient_education);
  expectStringArray(body.warning_signs);
  expectStringArray(body.processing_notes);
  expect(body.disclaimer).toEqual(expect.stringMatching(/\S/));
  expect(body.timestamp).toMatch(ISO);
}

const PROVIDERS = [
  ['knowledge base', (_fake: FakeOpenAI) => ({ DIAGNOSIS_PROVIDER: 'knowledge-base' })],
  [
    'OpenAI (fake server)',
    (fake: FakeOpenAI) => ({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'x',
      OPENAI_BASE_URL: fake.baseURL,
    }),
  ],
] as const;

describe.each(PROVIDERS)('the back end, unchanged, against this service (%s)', (_name, envFor) => {
  let fake: FakeOpenAI;
  let t: TestApp;
  let backend: BackendClient;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({ ...BACKEND_ENV, LOG_LEVEL: 'trace', ...envFor(fake) });
    backend = new BackendClient(t.app);
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  it('call A as in the contract: 200 on the first attempt, every field the back end reads, X-Request-ID echoed', async () => {
    const res = await backend.diagnose(CONTRACT_CALL_A, PATIENT_ID);
    expect(res.statusCode).toBe(200);
    expect(backend.attempts).toHaveLength(1);
    const sent = backend.attempts[0]!.headers;
    expect(sent['x-request-id']).toMatch(new RegExp(`^ai_agent_${PATIENT_ID}_\\d+_1$`));
    expect(res.headers['x-request-id']).toBe(sent['x-request-id']);
    expectCallAContract(res.json());
  });

  it('call A, routine (thrush): not critical, not an emergency consultation', async () => {
    const res = await backend.diagnose(ROUTINE_A, PATIENT_ID);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expectCallAContract(body);
    expect(body.confidence_score).toBeGreaterThanOrEqual(0.5);
    expect(body.diagnosis).toMatch(/candid/i);
    const decision = decideCallA(body);
    expect(decision.severity).not.toBe('critical');
    expect(decision.consultationType).not.toBe('emergency');
    expect(decision.recommendedTests.length).toBeGreaterThan(0);
  });

  it('call A, emergency (possible ectopic): score below 0.5 and a high-priority test, so the back end escalates', async () => {
    const res = await backend.diagnose(EMERGENCY_A, PATIENT_ID);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expectCallAContract(body);
    expect(body.confidence_score).toBeLessThan(0.5);
    expect(body.suggested_investigations.some((i: { priority: string }) => i.priority === 'high')).toBe(true);
    expect(body.recommended_medications).toEqual([]);
    expect(body.diagnosis).toMatch(/ectopic/i);
    expect(decideCallA(body)).toMatchObject({ severity: 'critical', consultationType: 'emergency' });
  });

  it('call B as in the contract: 200 with every field; the first four echo the request', async () => {
    const request = contractCallB();
    const res = await backend.structure(request);
    expect(res.statusCode).toBe(200);
    expectCallBContract(res.json(), request);
    expect(() => decideCallB(res.json())).not.toThrow();
  });

  it('call B, emergency: urgency_level urgent (red-flag floor), urgent price band, no medicines', async () => {
    const res = await backend.structure(EMERGENCY_B);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expectCallBContract(body, EMERGENCY_B);
    expect(body.risk_assessment.urgency_level).toBe('urgent');
    expect(body.risk_assessment.red_flags.length).toBeGreaterThan(0);
    expect(body.confidence_score).toBeLessThan(0.5);
    expect(body.treatment_recommendations.safe_medications).toEqual([]);
    expect(body.possible_diagnoses.map((d: { name: string }) => d.name).join(' ')).toMatch(/ectopic/i);
    expect(decideCallB(body)).toMatchObject({
      urgency: 'urgent',
      consultationType: 'emergency',
      price: { band: 'urgent', amount: 999 },
    });
  });

  it('call B, routine with a penicillin allergy: low/moderate price, penicillins contraindicated, none suggested', async () => {
    const res = await backend.structure(ROUTINE_B);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expectCallBContract(body, ROUTINE_B);
    expect(['low', 'moderate']).toContain(body.risk_assessment.urgency_level);
    expect(decideCallB(body).price.amount).toBeLessThanOrEqual(399);
    const allergy = body.safety_assessment.allergy_considerations;
    expect(allergy.allergic_medications).toEqual(['penicillin']);
    expect(allergy.contraindicated_drugs).toEqual(expect.arrayContaining(['amoxicillin', 'co-amoxiclav']));
    const suggested = JSON.stringify(body.treatment_recommendations.safe_medications).toLowerCase();
    for (const drug of allergy.contraindicated_drugs) expect(suggested).not.toContain(drug);
  });

  it("health probe with the back end's headers: 200, and no model call", async () => {
    const before = fake.calls;
    const res = await backend.health();
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'healthy' });
    expect(fake.calls).toBe(before);
  });

  it('never writes the X-Patient-ID (or the session id built from it) to the logs', async () => {
    await backend.diagnose(CONTRACT_CALL_A, PATIENT_ID);
    expect(t.logs.lines.length).toBeGreaterThan(0);
    expect(t.logs.text).not.toContain(PATIENT_ID);
    expect(t.logs.text).toMatch(/ai_agent_p[0-9a-f]{16}_\d+_1/);
  });
});
