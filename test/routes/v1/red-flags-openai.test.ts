import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import { urgencyRank, type TriageLevel } from '../../../src/domain/triage.ts';
import { FakeOpenAI } from '../../support/fake-openai.ts';
import { TEST_KEYS, startTestApp, type TestApp } from '../../support/app.ts';

/**
 * The rules sit under every provider: with a model that answers self-care to everything, the
 * patient's own words still set the level, list the rule and add its must-not-miss condition.
 */

const CASES: [rule: string, level: TriageLevel, mustNotMiss: string | null, body: DiagnoseRequestInput][] = [
  [
    'cord-prolapse',
    'emergency_ambulance',
    'O69.0XX0',
    {
      patient: { age: 31, pregnancy_status: 'pregnant', gestational_weeks: 38 },
      symptoms: ['my waters went about an hour ago', 'something hanging down there after my waters went'],
    },
  ],
  [
    'preterm-membrane-rupture',
    'emergency',
    'O42.919',
    {
      patient: { age: 27, pregnancy_status: 'pregnant', gestational_weeks: 32 },
      symptoms: ['feeling wet down there since this morning'],
    },
  ],
  [
    'reduced-fetal-movements',
    'emergency',
    'O36.8190',
    {
      patient: { age: 27, pregnancy_status: 'pregnant', gestational_weeks: 33 },
      symptoms: ["baby's been quiet today"],
    },
  ],
  [
    'seizure-pregnancy-or-postpartum',
    'emergency_ambulance',
    'O15.9',
    { patient: { age: 29, pregnancy_status: 'postpartum' }, symptoms: ['had a fit this morning'] },
  ],
  [
    'passive-death-wish',
    'consultation_24',
    'R45.851',
    {
      patient: { age: 29, pregnancy_status: 'postpartum' },
      symptoms: ['I keep thinking everyone would be better off without me'],
    },
  ],
];

describe('new red-flag rules on the OpenAI path', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ modes: ['obey_injection'] }).start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      DIAGNOSIS_FALLBACK: 'none',
      RATE_LIMIT_MAX: '100000',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  it.each(CASES)('%s holds the level against a self-care model answer', async (rule, level, miss, body) => {
    const calls = fake.calls;
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha },
      payload: body,
    });
    expect(res.statusCode).toBe(200);
    expect(fake.calls).toBe(calls + 1);
    const answer = res.json();
    expect(answer.engine.provider).toBe('openai');
    expect(urgencyRank(answer.triage.level)).toBeGreaterThanOrEqual(urgencyRank(level));
    expect(answer.triage.red_flags.map((f: { id: string }) => f.id)).toContain(rule);
    if (miss) expect(answer.differential.map((d: { icd10: string }) => d.icd10)).toContain(miss);
  });
});
