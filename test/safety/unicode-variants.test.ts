import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isEmergency } from '../../src/domain/triage.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { BACKEND_API_KEY, BACKEND_ENV } from '../support/backend-client.ts';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';

/**
 * Text that looks the same to a patient must be read the same: fullwidth letters, zero-width spaces
 * pasted from phones, soft hyphens and bidi controls give the triage, red flags, differential and
 * medicine screening of the plain text, on the canonical route and on both legacy calls.
 */

type Variant = [name: string, apply: (text: string) => string];

const fullwidth = (text: string) =>
  [...text]
    .map((c) => {
      const code = c.charCodeAt(0);
      if (c === ' ') return '\u3000';
      return code >= 0x21 && code <= 0x7e ? String.fromCharCode(code + 0xfee0) : c;
    })
    .join('');

const VARIANTS: Variant[] = [
  ['fullwidth', fullwidth],
  ['zero-width spaces inside words', (t) => t.replace(/(\w)(\w)/g, '$1\u200b$2')],
  ['zero-width joiners and word joiners', (t) => t.replace(/(\w)(\w)(\w)/g, '$1\u200d$2\u2060$3')],
  ['soft hyphens inside words', (t) => t.replace(/(\w\w)(?=\w)/g, '$1\u00ad')],
  ['bidi overrides and isolates', (t) => `\u202e${t.replace(/ /g, ' \u2066')}\u2069\u202c`],
  ['NBSP, typographic dashes and a BOM', (t) => `\ufeff${t.replace(/ /g, '\u00a0').replace(/-/g, '\u2013')}`],
];

const headers = { 'x-api-key': TEST_KEYS.alpha };
const legacyHeaders = {
  'x-api-key': BACKEND_API_KEY,
  'x-service-name': 'tenderly-backend',
  'content-type': 'application/json',
};

/** Applies a variant to every free-text field of a canonical body. */
function canonicalVariant(apply: (t: string) => string, body: CanonicalBody): CanonicalBody {
  return {
    ...body,
    symptoms: body.symptoms.map(apply),
    ...(body.notes ? { notes: apply(body.notes) } : {}),
    ...(body.duration ? { duration: apply(body.duration) } : {}),
    ...(body.medical_history ? { medical_history: body.medical_history.map(apply) } : {}),
    ...(body.medications ? { medications: body.medications.map(apply) } : {}),
    ...(body.allergies ? { allergies: body.allergies.map(apply) } : {}),
  };
}

interface CanonicalBody {
  patient: Record<string, unknown>;
  symptoms: string[];
  notes?: string;
  duration?: string;
  medical_history?: string[];
  medications?: string[];
  allergies?: string[];
  [key: string]: unknown;
}

const ECTOPIC: CanonicalBody = {
  patient: { age: 29, pregnancy_status: 'pregnant', gestational_weeks: 7 },
  symptoms: ['sharp right-sided pelvic pain', 'light vaginal bleeding', 'shoulder tip pain'],
  onset: 'sudden',
  severity: 'severe',
  duration: '6 hours',
  notes: 'I fainted in the bathroom this morning',
};
const THRUSH_NEGATED: CanonicalBody = {
  patient: { age: 31, pregnancy_status: 'not_pregnant' },
  symptoms: ['intense vulval itching', 'thick white cottage cheese discharge'],
  duration: '4 days',
  notes: 'no fever, no bleeding, no pelvic pain',
  medical_history: ['asthma'],
  allergies: ['penicillin'],
};

describe('Unicode variants on the canonical route (knowledge base)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ RATE_LIMIT_MAX: '100000' });
  });
  afterAll(async () => {
    await t.app.close();
  });

  const diagnose = async (payload: CanonicalBody) => {
    const res = await t.app.inject({ method: 'POST', url: '/v1/diagnose', headers, payload });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    return {
      level: body.triage.level,
      redFlags: body.triage.red_flags.map((f: { id: string }) => f.id),
      differential: body.differential.map((d: { icd10: string; probability: number }) => [
        d.icd10,
        d.probability,
      ]),
      advice: body.advice,
    };
  };

  describe.each([
    ['an ectopic pregnancy', ECTOPIC],
    ['thrush with negated findings', THRUSH_NEGATED],
  ])('%s', (_case, plain) => {
    it.each(VARIANTS)('%s gives the answer of the plain text', async (_name, apply) => {
      const expected = await diagnose(plain);
      const variant = canonicalVariant(apply, plain);
      expect(JSON.stringify(variant)).not.toBe(JSON.stringify(plain)); // the variant really differs
      expect(await diagnose(variant)).toEqual(expected);
    });
  });

  it('fires the ectopic red flags on the fullwidth request', async () => {
    const answer = await diagnose(canonicalVariant(fullwidth, ECTOPIC));
    expect(isEmergency(answer.level)).toBe(true);
    expect(answer.redFlags).toContain('ectopic-pregnancy-signs');
  });

  it('rejects a symptom made only of invisible characters, naming the field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers,
      payload: { ...ECTOPIC, symptoms: ['pelvic pain', '\u200b\u200b\u200b'] },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toEqual([
      expect.objectContaining({ path: 'symptoms.1', message: expect.stringMatching(/visible/) }),
    ]);
  });

  it('checks length limits on the text as sent, not as normalised', async () => {
    // 200 characters as sent (the limit), fewer once the zero-width spaces are gone: accepted.
    const atLimit = `pelvic pain${'\u200b'.repeat(189)}`;
    const ok = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers,
      payload: { ...ECTOPIC, symptoms: [atLimit] },
    });
    expect(ok.statusCode).toBe(200);
    // 201 as sent: rejected, even though it would be 11 once normalised.
    const over = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers,
      payload: { ...ECTOPIC, symptoms: [`${atLimit}\u200b`] },
    });
    expect(over.statusCode).toBe(400);
    expect(over.json().error.details[0].path).toBe('symptoms.0');
  });
});

describe('Unicode variants reach the model normalised', () => {
  let fake: FakeOpenAI;
  let t: TestApp;
  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  it('sends the plain text, not the format characters, in every field', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers,
      payload: {
        ...THRUSH_NEGATED,
        symptoms: ['ｉｎｔｅｎｓｅ ｖｕｌｖａｌ ｉｔｃｈｉｎｇ'],
        allergies: ['ibu\u200bprofen'],
        medications: ['para\u00adcetamol'],
        medical_history: ['\u202easthma\u202c'],
        duration: '4\u00a0days',
        notes: 'no fever \u2014 no bleeding',
      },
    });
    expect(res.statusCode).toBe(200);
    const user = (fake.requests.at(-1)?.body as { messages: Array<{ content: string }> }).messages[1]!
      .content;
    const data = JSON.parse(user.slice(user.indexOf('<patient_data>') + 15, user.indexOf('</patient_data>')));
    expect(data).toMatchObject({
      symptoms: ['intense vulval itching'],
      allergies: ['ibuprofen'],
      medications: ['paracetamol'],
      medical_history: ['asthma'],
      duration: '4 days',
      notes: 'no fever - no bleeding',
    });
  });
});

describe('Unicode variants on the legacy routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...BACKEND_ENV, RATE_LIMIT_MAX: '100000' });
  });
  afterAll(async () => {
    await t.app.close();
  });

  const post = async (url: string, payload: object) => {
    const res = await t.app.inject({ method: 'POST', url, headers: legacyHeaders, payload });
    expect(res.statusCode).toBe(200);
    return res.json();
  };

  const callA = (apply: (t: string) => string, history: string[]) => ({
    diagnosis_request: {
      symptoms: ['painful periods', 'cramping lower abdominal pain'].map(apply),
      patient_age: 24,
      severity_level: 'moderate',
      duration: apply('2 days'),
      medical_history: history.map(apply),
      additional_notes: apply('the pain starts with my period every month'),
    },
  });
  const callAView = (body: Record<string, unknown>) => ({
    diagnosis: body.diagnosis,
    confidence_score: body.confidence_score,
    triage_level: body.triage_level,
    medicines: (body.recommended_medications as Array<{ name: string }>).map((m) => m.name),
    lifestyle_advice: body.lifestyle_advice,
    follow_up: body.follow_up_recommendations,
  });

  it('recommends ibuprofen for period pain without an allergy (the baseline the next tests rely on)', async () => {
    const body = await post(
      '/api/v1/diagnosis/',
      callA((x) => x, []),
    );
    expect(callAView(body).medicines).toContain('Ibuprofen');
  });

  it.each(VARIANTS)(
    'call A: "allergic to ibuprofen" with %s never gets ibuprofen recommended',
    async (_name, apply) => {
      const plain = callAView(
        await post(
          '/api/v1/diagnosis/',
          callA((x) => x, ['allergic to ibuprofen']),
        ),
      );
      expect(plain.medicines).not.toContain('Ibuprofen');
      const variant = callAView(await post('/api/v1/diagnosis/', callA(apply, ['allergic to ibuprofen'])));
      expect(variant).toEqual(plain);
      expect(JSON.stringify(variant)).not.toMatch(/ibuprofen/i);
    },
  );

  const ectopicA = (apply: (t: string) => string) => ({
    diagnosis_request: {
      symptoms: ['sharp pelvic pain', 'vaginal bleeding', 'shoulder tip pain'].map(apply),
      patient_age: 29,
      severity_level: 'severe',
      onset: 'sudden',
      duration: apply('6 hours'),
      medical_history: [],
      additional_notes: apply('I am 7 weeks pregnant'),
    },
  });

  it.each(VARIANTS)('call A: the ectopic request with %s fires the same red flags', async (_name, apply) => {
    const plain = callAView(
      await post(
        '/api/v1/diagnosis/',
        ectopicA((x) => x),
      ),
    );
    expect(plain.triage_level).toBe('emergency');
    expect(plain.follow_up).toMatch(/ectopic/i);
    expect(callAView(await post('/api/v1/diagnosis/', ectopicA(apply)))).toEqual(plain);
  });

  const callB = (apply: (t: string) => string) => ({
    structured_request: {
      patient_profile: { age: 27, request_id: 'req_unicode_b' },
      primary_complaint: { main_symptom: apply('Period pain'), severity: 'moderate', duration: '1 day' },
      symptom_specific_details: {
        symptom_characteristics: {
          [apply('cramping')]: true,
          [apply('pain_timing')]: apply('with my period'),
        },
      },
      reproductive_history: { pregnancy_status: { could_be_pregnant: apply('no') } },
      medical_context: { allergies: apply('ibuprofen, penicillin'), current_medications: [] },
      patient_concerns: { additional_notes: apply('same pain every month') },
    },
  });
  const callBView = (body: Record<string, unknown>) => {
    const safety = body.safety_assessment as Record<string, unknown>;
    const treatment = body.treatment_recommendations as Record<string, unknown>;
    return {
      triage_level: body.triage_level,
      request_id: body.request_id,
      diagnoses: body.possible_diagnoses,
      allergy: safety.allergy_considerations,
      warnings: safety.safety_warnings,
      medicines: (treatment.safe_medications as Array<{ name: string }>).map((m) => m.name),
      lifestyle: treatment.lifestyle_modifications,
    };
  };

  it.each(VARIANTS)('call B: allergies and findings with %s are screened the same', async (_name, apply) => {
    const plain = callBView(
      await post(
        '/api/v1/diagnosis/structure',
        callB((x) => x),
      ),
    );
    expect(plain.medicines).not.toContain('Ibuprofen');
    expect((plain.allergy as { contraindicated_drugs: string[] }).contraindicated_drugs).toEqual(
      expect.arrayContaining(['ibuprofen', 'amoxicillin']),
    );
    expect(callBView(await post('/api/v1/diagnosis/structure', callB(apply)))).toEqual(plain);
  });

  it('call B echoes the request id exactly as sent', async () => {
    const body = await post('/api/v1/diagnosis/structure', {
      structured_request: {
        ...callB((x) => x).structured_request,
        patient_profile: { age: 27, request_id: 'ｒｅｑ\u200b1' },
      },
    });
    expect(body.request_id).toBe('ｒｅｑ\u200b1');
  });

  it('validate: judges length as sent and answers with the normalised text', async () => {
    const body = await post('/api/v1/diagnosis/validate', [
      'ｐｅｌｖｉｃ ｐａｉｎ',
      '\u200b\u200b\u200b',
      'x',
    ]);
    expect(body.valid).toEqual(['pelvic pain']);
    expect(body.invalid).toEqual(['\u200b\u200b\u200b', 'x']);
  });

  it('call A: a symptom made only of invisible characters is a 422 naming it', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/v1/diagnosis/',
      headers: legacyHeaders,
      payload: {
        diagnosis_request: { ...ectopicA((x) => x).diagnosis_request, symptoms: ['pain', '\u00ad\u00ad'] },
      },
    });
    expect(res.statusCode).toBe(422);
    expect(res.json().detail).toEqual([
      expect.objectContaining({
        type: 'string_too_short',
        loc: ['body', 'diagnosis_request', 'symptoms', 1],
      }),
    ]);
  });
});
