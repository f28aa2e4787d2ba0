/** Issue 12, finding 6: an upstream error's text (org ids, quota details) is never logged; its status and type are. */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FAKE_ORG_ID, FakeOpenAI } from '../support/fake-openai.ts';
import { CONTRACT_CALL_A } from '../support/backend-client.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';

describe('upstream errors in the logs', () => {
  let fake: FakeOpenAI;
  let t: TestApp;
  beforeAll(async () => {
    fake = await new FakeOpenAI({ modes: ['quota_exceeded'] }).start();
  });
  // A fresh app per case: after a quota error the upstream governor may refuse the next call itself.
  beforeEach(async () => {
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      DIAGNOSIS_FALLBACK: 'none',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_MAX_RETRIES: '0',
    });
  });
  afterEach(async () => t.app.close());
  afterAll(async () => fake.stop());

  it.each([
    ['/v1/diagnose', SAMPLE_REQUEST],
    ['/api/v1/diagnosis/', CONTRACT_CALL_A],
  ])('%s logs the status and error type, never the text', async (url, payload) => {
    const before = t.logs.lines.length;
    const res = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'x-api-key': TEST_KEYS.alpha },
      payload,
    });
    expect(res.statusCode).toBe(503);
    const lines = t.logs.lines.slice(before);
    const text = lines.join('\n');
    expect(text).not.toContain(FAKE_ORG_ID);
    expect(text).not.toMatch(/exceeded your current quota/i);
    const failure = lines.map((l) => JSON.parse(l)).find((r) => r.msg === 'request failed');
    expect(failure?.upstream).toEqual({ kind: 'rate_limited', status: 429, type: 'insufficient_quota' });
  });
});
