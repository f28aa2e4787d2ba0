import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EMERGENCY_SCORES } from '../../src/legacy/triage-mapping.ts';
import { injectPastShedding as inject } from '../support/shed-retry.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { BACKEND_ENV, CONTRACT_CALL_A, callAHeaders } from '../support/backend-client.ts';

/** The legacy back end gets the new red flags too, in the fields it acts on (confidence_score). */
describe('new red-flag rules on the legacy route', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ...BACKEND_ENV, DIAGNOSIS_PROVIDER: 'knowledge-base' });
  });
  afterAll(async () => t.app.close());

  const callA = (symptoms: string[]) =>
    inject(t.app, {
      method: 'POST',
      url: '/api/v1/diagnosis/',
      headers: callAHeaders({ patientId: '5f8d0d55b54764421b7156c9', ms: 1732528800000, attempt: 1 }),
      payload: JSON.stringify({ diagnosis_request: { ...CONTRACT_CALL_A.diagnosis_request, symptoms } }),
    });

  it.each([
    [
      'a cord felt after the waters went',
      ['my waters went', 'something hanging down there'],
      'emergency_ambulance',
    ],
    ['a fit', ['had a fit this morning'], 'emergency_ambulance'],
    ['a baby gone quiet', ["baby's been quiet all day"], 'emergency'],
  ] as const)('reports %s as critical', async (_name, symptoms, level) => {
    const res = await callA([...symptoms]);
    expect(res.statusCode).toBe(200);
    expect(res.json().confidence_score).toBe(EMERGENCY_SCORES[level]);
  });

  it('leaves practice tightenings out of the critical band', async () => {
    const res = await callA(['practice contractions, painless, settle when I rest']);
    expect(res.statusCode).toBe(200);
    expect(res.json().confidence_score).toBeGreaterThanOrEqual(0.5);
  });
});
