import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../../support/fake-openai.ts';
import { TEST_KEYS, startTestApp, type TestApp } from '../../support/app.ts';

const AUTH = { 'x-api-key': TEST_KEYS.alpha };
const PREGNANT_BACKACHE = {
  patient: { age: 31, pregnancy_status: 'pregnant', gestational_weeks: 32 },
  symptoms: ['backache since yesterday'],
};

describe('interview mode over HTTP', () => {
  let fake: FakeOpenAI;
  let model: TestApp;
  let offline: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
    model = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      RATE_LIMIT_MAX: '100000',
    });
    offline = await startTestApp({ DIAGNOSIS_PROVIDER: 'knowledge-base', RATE_LIMIT_MAX: '100000' });
  });
  afterAll(async () => {
    await model.app.close();
    await offline.app.close();
    await fake.stop();
  });

  const post = (t: TestApp, payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/v1/diagnose', headers: AUTH, payload: payload as object });

  it('GET /v1/findings lists answerable findings publicly, with a cache header', async () => {
    const res = await offline.app.inject({ url: '/v1/findings' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toContain('max-age');
    const { findings } = res.json() as {
      findings: { id: string; question: string; applies_when: string[] }[];
    };
    const fluid = findings.find((f) => f.id === 'fluid_leak');
    expect(fluid?.question).toMatch(/fluid/i);
    expect(fluid?.applies_when).toEqual(['pregnant']);
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
  });

  it('asks the same questions whichever provider answers', async () => {
    const a = await post(model, PREGNANT_BACKACHE);
    const b = await post(offline, PREGNANT_BACKACHE);
    expect(a.statusCode).toBe(200);
    expect(a.json().engine.provider).toBe('openai');
    expect(a.json().interview.questions.length).toBeGreaterThan(0);
    expect(a.json().interview).toEqual(b.json().interview);
  });

  it('sends the answers to the model as labelled data inside the patient-data section', async () => {
    fake.setModes(['valid']);
    const res = await post(model, {
      ...PREGNANT_BACKACHE,
      evidence: [{ id: 'fluid_leak', choice: 'absent' }],
    });
    expect(res.statusCode).toBe(200);
    const messages = fake.requests[0]!.body.messages as { role: string; content: string }[];
    const user = messages.find((m) => m.role === 'user')!.content;
    const data = user.slice(user.indexOf('<patient_data>'), user.indexOf('</patient_data>'));
    expect(data).toContain(
      '"evidence":[{"finding":"fluid leaking from the vagina (waters)","answer":"absent"}]',
    );
  });

  it('answers 400 naming the entry for an unknown finding id, and runs no diagnosis', async () => {
    fake.setModes(['valid']);
    const res = await post(model, {
      ...PREGNANT_BACKACHE,
      evidence: [{ id: 'waters_gone', choice: 'present' }],
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.details).toContainEqual(expect.objectContaining({ path: 'evidence.0.id' }));
    expect(error.details.map((d: { message: string }) => d.message).join(' ')).toContain('waters_gone');
    expect(fake.calls).toBe(0);
  });

  it('documents evidence, the interview and /v1/findings in the OpenAPI document', async () => {
    const doc = (await offline.app.inject({ url: '/docs/json' })).json();
    expect(doc.paths['/v1/findings']).toBeDefined();
    expect(JSON.stringify(doc.components.schemas.DiagnoseRequest)).toContain('evidence');
    expect(doc.components.schemas.Interview.properties).toHaveProperty('should_stop');
  });
});
