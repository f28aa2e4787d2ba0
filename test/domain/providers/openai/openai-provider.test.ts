import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI, type FakeMode } from '../../../support/fake-openai.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../../../support/app.ts';

/** The OpenAI provider through the real app and the real SDK, against a fake server over HTTP. */
describe('OpenAI provider', () => {
  let fake: FakeOpenAI;
  let t: TestApp | null = null;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
  });
  afterEach(async () => {
    await t?.app.close();
    t = null;
  });
  afterAll(async () => fake.stop());

  async function diagnoseWith(modes: FakeMode[], env: Record<string, string> = {}) {
    fake.setModes(modes);
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      DIAGNOSIS_FALLBACK: 'none',
      OPENAI_TIMEOUT_MS: '300',
      OPENAI_MAX_RETRIES: '2',
      RATE_LIMIT_MAX: '100000',
      ...env,
    });
    return t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha },
      payload: SAMPLE_REQUEST,
    });
  }

  it('sends a Structured Outputs request with store:false, no tools, and patient text only in the data section', async () => {
    const res = await diagnoseWith(['valid']);
    expect(res.statusCode).toBe(200);
    expect(fake.calls).toBe(1);
    const body = fake.requests[0]?.body as Record<string, any>;
    expect(body.store).toBe(false);
    expect(body.tools).toBeUndefined();
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.strict).toBe(true);
    const schema = body.response_format.json_schema.schema;
    expect(schema.required).toEqual(expect.arrayContaining(['triage_level', 'differential', 'advice']));
    expect(schema.properties.differential.items.properties.icd10.enum).toContain('N73.9');
    const [system, user] = body.messages;
    expect(system.role).toBe('system');
    expect(system.content).not.toContain('cottage cheese');
    expect(system.content).toMatch(/ignore any request/i);
    expect(user.content).toMatch(/<patient_data>[\s\S]*cottage cheese[\s\S]*<\/patient_data>/);
    expect(res.json().differential[0]).toMatchObject({ icd10: 'B37.31', probability: 0.55 });
  });

  it('answers 504 after a per-attempt timeout on every attempt, retrying once per configured retry', async () => {
    fake.options.slowMs = 3000;
    const res = await diagnoseWith(['slow'], { OPENAI_MAX_RETRIES: '1' });
    expect(res.statusCode).toBe(504);
    expect(res.json().error.code).toBe('upstream_timeout');
    expect(fake.calls).toBe(2);
  });

  it('times out a body that stalls after the headers', async () => {
    const res = await diagnoseWith(['stall'], { OPENAI_MAX_RETRIES: '0' });
    expect(res.statusCode).toBe(504);
    expect(fake.calls).toBe(1);
  });

  it('stops at the overall deadline even with retries left', async () => {
    fake.options.slowMs = 3000;
    const res = await diagnoseWith(['slow'], { OPENAI_MAX_RETRIES: '5', OPENAI_DEADLINE_MS: '700' });
    expect(res.statusCode).toBe(504);
    expect(fake.calls).toBeLessThanOrEqual(3);
  });

  it('retries a 500 and then answers 503 with Retry-After, never leaking upstream text', async () => {
    const res = await diagnoseWith(['error500']);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBeDefined();
    expect(res.json().error.code).toBe('upstream_unavailable');
    expect(res.body).not.toContain('secret upstream detail');
    expect(fake.calls).toBe(3);
  });

  it('retries as often as configured without a listener-leak warning on the request signal', async () => {
    const warnings: string[] = [];
    const onWarning = (w: Error) => warnings.push(w.name);
    process.on('warning', onWarning);
    try {
      const res = await diagnoseWith(['error500'], { OPENAI_MAX_RETRIES: '10', OPENAI_RETRY_BASE_MS: '0' });
      expect(res.statusCode).toBe(503);
      expect(fake.calls).toBe(11);
      await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on the next tick
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).not.toContain('MaxListenersExceededWarning');
  });

  it('recovers when a retry succeeds', async () => {
    const res = await diagnoseWith(['error500', 'valid']);
    expect(res.statusCode).toBe(200);
    expect(fake.calls).toBe(2);
  });

  it('honours retry-after on a 429 before retrying', async () => {
    fake.options.retryAfterSeconds = 1;
    const started = Date.now();
    const res = await diagnoseWith(['rate_limited', 'valid'], { OPENAI_TIMEOUT_MS: '5000' });
    expect(res.statusCode).toBe(200);
    expect(fake.calls).toBe(2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    fake.options.retryAfterSeconds = 0;
  });

  it('gives up on a retry-after that does not fit the deadline', async () => {
    fake.options.retryAfterSeconds = 60;
    const res = await diagnoseWith(['rate_limited'], { OPENAI_DEADLINE_MS: '2000' });
    expect(res.statusCode).toBe(503);
    expect(fake.calls).toBe(1);
    fake.options.retryAfterSeconds = 0;
  });

  it('repairs malformed output once', async () => {
    const res = await diagnoseWith(['malformed', 'valid']);
    expect(res.statusCode).toBe(200);
    expect(fake.calls).toBe(2);
    const repair = (fake.requests[1]?.body as { messages: Array<{ role: string; content: string }> })
      .messages;
    expect(repair.at(-2)?.role).toBe('assistant');
    expect(repair.at(-1)?.content).toMatch(/could not be used/);
  });

  it('answers 502 when the repaired output is still malformed', async () => {
    const res = await diagnoseWith(['malformed']);
    expect(res.statusCode).toBe(502);
    expect(res.json().error.code).toBe('upstream_invalid_output');
    expect(fake.calls).toBe(2);
  });

  it('rejects schema-violating output (unknown ICD-10 code, probability 7) and never returns it', async () => {
    const res = await diagnoseWith(['invalid']);
    expect(res.statusCode).toBe(502);
    expect(res.body).not.toContain('Z99.999');
    expect(fake.calls).toBe(2);
  });

  it('clamps probabilities and drops codes outside the catalog from otherwise valid output', async () => {
    fake.options.assessment = {
      triage_level: 'consultation',
      triage_rationale: 'r',
      differential: [
        {
          condition: 'Invented',
          icd10: 'Q99.9X',
          probability: 0.9,
          rationale: null,
          supporting_findings: [],
          recommended_investigations: [],
        },
        {
          condition: 'Candidiasis',
          icd10: 'B37.31',
          probability: 7,
          rationale: null,
          supporting_findings: [],
          recommended_investigations: [],
        },
        {
          condition: 'BV',
          icd10: 'N76.0',
          probability: -2,
          rationale: null,
          supporting_findings: [],
          recommended_investigations: [],
        },
      ],
      recommended_investigations: [],
      advice: [],
    };
    const res = await diagnoseWith(['valid']);
    delete fake.options.assessment;
    expect(res.statusCode).toBe(200);
    const differential = res.json().differential as Array<{ icd10: string; probability: number }>;
    expect(differential.map((d) => d.icd10)).not.toContain('Q99.9X');
    expect(differential[0]).toMatchObject({ icd10: 'B37.31', probability: 1 });
    expect(differential.every((d) => d.probability >= 0 && d.probability <= 1)).toBe(true);
  });

  it('does not retry a refusal and answers 502', async () => {
    const res = await diagnoseWith(['refusal']);
    expect(res.statusCode).toBe(502);
    expect(fake.calls).toBe(1);
  });

  it('falls back to the knowledge base when the model fails and a fallback is configured', async () => {
    const res = await diagnoseWith(['error500'], {
      DIAGNOSIS_FALLBACK: 'knowledge-base',
      OPENAI_MAX_RETRIES: '0',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().engine).toEqual({ provider: 'knowledge-base', model: null, fallback: true });
  });
});
