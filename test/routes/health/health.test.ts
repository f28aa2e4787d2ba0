import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../../support/fake-openai.ts';
import { TEST_KEYS, startTestApp, type TestApp } from '../../support/app.ts';

const packageJson = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

describe('health routes', () => {
  let t: TestApp | null = null;
  let fake: FakeOpenAI | null = null;
  // Closed whether the test passed or failed, so a failure never leaves a server listening.
  afterEach(async () => {
    await t?.app.close();
    await fake?.stop();
    t = null;
    fake = null;
  });

  it('is live and ready with the knowledge base and no other dependency', async () => {
    t = await startTestApp({ DIAGNOSIS_PROVIDER: 'knowledge-base' });
    expect((await t.app.inject('/health/live')).json()).toEqual({ status: 'ok' });
    const ready = await t.app.inject('/health/ready');
    expect(ready.statusCode).toBe(200);
    const detail = (await t.app.inject({ url: '/health', headers: { 'x-api-key': TEST_KEYS.alpha } })).json();
    expect(detail.version).toBe(packageJson.version);
    expect(detail.dependencies.provider).toMatchObject({
      status: 'up',
      detail: { primary: 'knowledge-base' },
    });
  });

  it('tells an anonymous caller only the status per dependency: no version, model or latency', async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: fake.baseURL,
    });
    const res = await t.app.inject('/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', dependencies: { provider: { status: 'up' } } });
    expect(res.body).not.toContain('gpt-4o-mini');
    // A bad credential is refused like anywhere else, not answered with the public view.
    expect((await t.app.inject({ url: '/health', headers: { 'x-api-key': 'wrong' } })).statusCode).toBe(401);
  });

  it('reports the OpenAI provider as usable without making a model call', async () => {
    fake = await new FakeOpenAI().start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-x',
      OPENAI_BASE_URL: fake.baseURL,
    });
    for (const url of ['/health/live', '/health/ready', '/health', '/api/v1/health/'])
      await t.app.inject(url);
    expect(fake.calls).toBe(0);
    const authed = await t.app.inject({ url: '/health', headers: { 'x-api-key': TEST_KEYS.alpha } });
    expect(authed.json().dependencies.provider.detail).toMatchObject({
      primary: 'openai',
      model: 'gpt-4o-mini',
      fallback: 'knowledge-base',
    });
  });
});
