import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Bundle, Condition, Device, Observation, RiskAssessment } from '@medplum/fhirtypes';
import { DiagnoseResponse, ErrorResponse } from '../../../src/domain/schemas/diagnose.ts';
import { BACKEND_API_KEY, BACKEND_ENV, CONTRACT_CALL_A } from '../../support/backend-client.ts';
import { FakeOpenAI, VALID_ASSESSMENT } from '../../support/fake-openai.ts';
import { bundleProblems } from '../../support/fhir-validator.ts';
import { profileValueProblems, terminologyProblems } from '../../support/fhir-terminology.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../../support/app.ts';

const AUTH = { 'x-api-key': TEST_KEYS.alpha };
// The validator runs in this process and blocks its event loop for seconds; load shedding would answer for the app.
const NO_SHEDDING = { UNDER_PRESSURE_MAX_EVENT_LOOP_DELAY_MS: '0' };
const FHIR = 'application/fhir+json';

/** Real cases, each with the vitals a clinic would send. */
const CASES: Array<{ name: string; body: Record<string, unknown>; vitals: Record<string, number> }> = [
  { name: 'thrush', body: SAMPLE_REQUEST, vitals: { temperature_c: 36.8, heart_rate_bpm: 76 } },
  {
    name: 'suspected ectopic pregnancy',
    body: {
      patient: { age: 29, pregnancy_status: 'pregnant', gestational_weeks: 7 },
      symptoms: ['sharp right-sided pelvic pain', 'light vaginal bleeding', 'shoulder tip pain'],
      onset: 'sudden',
      severity: 'severe',
    },
    vitals: { heart_rate_bpm: 112, systolic_bp: 98 },
  },
  {
    name: 'pre-eclampsia',
    body: {
      patient: { age: 34, pregnancy_status: 'pregnant', gestational_weeks: 34 },
      symptoms: ['severe headache', 'blurred vision', 'swelling of face and hands'],
      onset: 'gradual',
      severity: 'severe',
    },
    vitals: { systolic_bp: 168, diastolic_bp: 112, heart_rate_bpm: 90 },
  },
  {
    name: 'postpartum sepsis',
    body: {
      patient: { age: 27, pregnancy_status: 'postpartum' },
      symptoms: ['fever and shivering', 'foul smelling vaginal discharge', 'lower abdominal pain'],
      onset: 'sudden',
      severity: 'severe',
    },
    vitals: {
      temperature_c: 39.2,
      heart_rate_bpm: 128,
      respiratory_rate: 26,
      oxygen_saturation: 93,
      systolic_bp: 86,
      diastolic_bp: 50,
    },
  },
];

// Without a subject, and with one (relative for half the cases, absolute and versioned for the others).
const SUBJECTS = ['Patient/8f3c2a', 'https://ehr.example/fhir/Patient/8f3c2a/_history/3'];

function resources<T>(bundle: Bundle, type: string): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r) => r?.resourceType === type) as T[];
}

/** Everything that makes a FHIR answer wrong: invalid R4, unchecked codes, vital signs off their profiles. */
function problems(bundle: Bundle): string[] {
  return [
    ...bundleProblems(bundle),
    ...terminologyProblems(bundle),
    ...resources<Observation>(bundle, 'Observation').flatMap(profileValueProblems),
  ];
}

/** The FHIR answer says what the JSON answer says. */
function expectSameDiagnosis(bundle: Bundle, json: DiagnoseResponse): void {
  const [triage, differential] = resources<RiskAssessment>(bundle, 'RiskAssessment');
  expect(triage?.prediction?.[0]?.outcome?.coding?.[0]?.code).toBe(json.triage.level);
  expect(resources<Condition>(bundle, 'Condition').map((c) => c.code?.coding?.[0]?.code)).toEqual(
    json.differential.map((d) => d.icd10),
  );
  expect(differential?.prediction?.map((p) => p.probabilityDecimal)).toEqual(
    json.differential.map((d) => Math.round(d.probability * 1000) / 10),
  );
  const flags = triage?.note?.map((n) => n.text).filter((n) => n.startsWith('Red flag')) ?? [];
  expect(flags).toHaveLength(json.triage.red_flags.length);
  const device = resources<Device>(bundle, 'Device')[0];
  expect(device?.property?.map((p) => p.valueCode?.[0]?.text)).toEqual([
    json.engine.provider,
    String(json.engine.fallback),
  ]);
}

describe('POST /v1/diagnose as FHIR R4', () => {
  let fake: FakeOpenAI;
  let kb: TestApp;
  let openai: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    [kb, openai] = await Promise.all([
      startTestApp({ ...NO_SHEDDING, RATE_LIMIT_MAX: '100000' }),
      startTestApp({
        ...NO_SHEDDING,
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-test',
        OPENAI_BASE_URL: fake.baseURL,
        RATE_LIMIT_MAX: '100000',
      }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([kb.app.close(), openai.app.close()]);
    await fake.stop();
  });

  const post = (t: TestApp, payload: unknown, headers: Record<string, string> = {}) =>
    t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { ...AUTH, ...headers },
      payload: payload as Record<string, unknown>,
    });

  describe('every bundle the matrix produces is valid R4', () => {
    const engines = [
      ['knowledge base', () => kb, () => undefined],
      ['OpenAI', () => openai, () => fake.setModes(['valid'])],
      [
        'OpenAI with more conditions',
        () => openai,
        () => {
          fake.options.assessment = {
            ...VALID_ASSESSMENT,
            triage_level: 'consultation_24',
            differential: [
              ...VALID_ASSESSMENT.differential,
              {
                condition: 'Bacterial vaginosis',
                icd10: 'N76.0',
                probability: 0.15,
                rationale: '',
                supporting_findings: [],
                recommended_investigations: [],
              },
            ],
          };
          fake.setModes(['valid']);
        },
      ],
      ['OpenAI failing over to the knowledge base', () => openai, () => fake.setModes(['error500'])],
    ] as const;
    const matrix = engines.flatMap(([engine, app, arrange]) =>
      CASES.flatMap((c, i) =>
        [false, true].flatMap((withVitals) =>
          [undefined, SUBJECTS[i % 2]].map((subject) => ({ engine, app, arrange, c, withVitals, subject })),
        ),
      ),
    );

    it.each(matrix)(
      '$engine, $c.name, vitals: $withVitals, subject: $subject',
      async ({ app, arrange, c, withVitals, subject }) => {
        const body = {
          ...c.body,
          ...(withVitals ? { vitals: c.vitals } : {}),
          ...(subject ? { subject } : {}),
        };
        arrange();
        const jsonRes = await post(app(), body);
        arrange();
        const res = await post(app(), body, { accept: FHIR });
        fake.options.assessment = undefined;
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('application/fhir+json; fhirVersion=4.0; charset=utf-8');
        const bundle = res.json<Bundle>();
        expect(problems(bundle)).toEqual([]);
        expect(resources(bundle, 'Observation').length > 0).toBe(withVitals);
        expect(resources(bundle, 'Patient')).toHaveLength(subject ? 0 : 1);
        expect(jsonRes.statusCode).toBe(200);
        expectSameDiagnosis(bundle, jsonRes.json<DiagnoseResponse>());
      },
    );
  });

  describe('Accept negotiation', () => {
    const answers: Array<[string | undefined, 'json' | 'fhir']> = [
      [undefined, 'json'],
      ['', 'json'],
      ['*/*', 'json'],
      ['application/json', 'json'],
      ['application/json; charset=utf-8', 'json'],
      ['application/*', 'json'],
      ['text/html, */*;q=0.1', 'json'],
      [FHIR, 'fhir'],
      ['application/fhir+json; fhirVersion=4.0', 'fhir'],
      ['application/fhir+json; charset=UTF-8', 'fhir'],
      ['application/fhir+json, application/json;q=0.5', 'fhir'],
      ['application/json;q=0.2, application/fhir+json', 'fhir'],
      ['application/json, application/fhir+json;q=0.9', 'json'],
      ['text/html, application/fhir+json;q=0.8', 'fhir'],
    ];

    it.each(answers)('Accept %j answers %s', async (accept, format) => {
      const res = await post(kb, SAMPLE_REQUEST, accept === undefined ? {} : { accept });
      expect(res.statusCode).toBe(200);
      expect(res.headers.vary).toMatch(/Accept/);
      if (format === 'json') {
        expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
        expect(DiagnoseResponse.safeParse(res.json()).success).toBe(true);
      } else {
        expect(res.headers['content-type']).toMatch(/^application\/fhir\+json; fhirVersion=4\.0/);
        expect(res.json()).toMatchObject({ resourceType: 'Bundle', type: 'collection' });
      }
    });

    const refused = [
      'application/xml',
      'application/fhir+xml',
      'text/html',
      'application/fhir+json; fhirVersion=3.0',
      'application/json;q=0, application/fhir+json;q=0',
    ];

    it.each(refused)('Accept %j gets 406 in the error shape, before the model is called', async (accept) => {
      const calls = fake.requests.length;
      const res = await post(openai, SAMPLE_REQUEST, { accept });
      expect(res.statusCode).toBe(406);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.headers.vary).toMatch(/Accept/);
      const body = res.json();
      expect(ErrorResponse.safeParse(body).success).toBe(true);
      expect(body.error.code).toBe('not_acceptable');
      expect(body.error.message).toContain('application/fhir+json');
      expect(fake.requests.length).toBe(calls);
    });

    it('authenticates before negotiating: no credentials is a 401 whatever the Accept', async () => {
      const res = await kb.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: { accept: 'application/xml' },
        payload: SAMPLE_REQUEST,
      });
      expect(res.statusCode).toBe(401);
    });

    it('keeps the JSON error shape on the FHIR path (400, 401)', async () => {
      const bad = await post(kb, { ...SAMPLE_REQUEST, patient: { age: 7 } }, { accept: FHIR });
      expect(bad.statusCode).toBe(400);
      expect(bad.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(bad.json().error.details).toContainEqual(expect.objectContaining({ path: 'patient.age' }));
      const unauthorised = await kb.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: { accept: FHIR, 'x-api-key': 'wrong-key-0123456789abcdef' },
        payload: SAMPLE_REQUEST,
      });
      expect(unauthorised.statusCode).toBe(401);
      expect(ErrorResponse.safeParse(unauthorised.json()).success).toBe(true);
    });
  });

  describe('subject', () => {
    const invalid = [
      'Patient',
      'Patient/',
      'Group/1',
      'Practitioner/1',
      'urn:uuid:6f1c2a34-0000-4000-8000-000000000000',
      'Patient/has space',
      `Patient/${'a'.repeat(65)}`,
      'javascript:alert(1)//Patient/1',
      'https://ehr.example/fhir/Patient/1?x=y',
    ];

    it.each(invalid)('refuses %j with a 400 naming the field, without echoing it', async (subject) => {
      const res = await post(kb, { ...SAMPLE_REQUEST, subject }, { accept: FHIR });
      expect(res.statusCode).toBe(400);
      const body = res.json();
      expect(body.error.details).toEqual([expect.objectContaining({ path: 'subject' })]);
      // One fixed message, whatever was sent (short values like "Patient" appear in its example).
      expect(body.error.details[0].message).toMatch(/^Expected a FHIR Patient reference such as/);
      if (subject.length > 8) expect(res.body).not.toContain(subject);
    });

    it('never reaches the model, nor the JSON answer', async () => {
      fake.setModes(['valid']);
      const subject = 'Patient/subject-never-sent-7d1e';
      for (const accept of [FHIR, 'application/json']) {
        const res = await post(openai, { ...SAMPLE_REQUEST, subject }, { accept });
        expect(res.statusCode).toBe(200);
        if (accept !== FHIR) expect(res.body).not.toContain(subject);
      }
      expect(fake.requests.length).toBeGreaterThan(0);
      expect(JSON.stringify(fake.requests.map((r) => r.body))).not.toContain('subject-never-sent');
    });
  });

  it('a 406 spends none of the rate limit', async () => {
    const limited = await startTestApp({ ...NO_SHEDDING, RATE_LIMIT_MAX: '2' });
    try {
      for (let i = 0; i < 5; i++) {
        expect((await post(limited, SAMPLE_REQUEST, { accept: 'text/csv' })).statusCode).toBe(406);
      }
      expect((await post(limited, SAMPLE_REQUEST, { accept: FHIR })).statusCode).toBe(200);
      expect((await post(limited, SAMPLE_REQUEST)).statusCode).toBe(200);
      const over = await post(limited, SAMPLE_REQUEST, { accept: FHIR });
      expect(over.statusCode).toBe(429);
      expect(over.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(over.json().error.code).toBe('rate_limited');
    } finally {
      await limited.app.close();
    }
  });

  it('leaves the legacy routes as they were', async () => {
    const legacy = await startTestApp({ ...BACKEND_ENV, ...NO_SHEDDING });
    try {
      const res = await legacy.app.inject({
        method: 'POST',
        url: '/api/v1/diagnosis/',
        headers: {
          'x-api-key': BACKEND_API_KEY,
          'x-service-name': 'tenderly-backend',
          'content-type': 'application/json',
          accept: FHIR,
        },
        payload: JSON.stringify(CONTRACT_CALL_A),
      });
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json().resourceType).toBeUndefined();
    } finally {
      await legacy.app.close();
    }
  });
});
