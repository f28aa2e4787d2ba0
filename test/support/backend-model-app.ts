import type { LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { startTestApp, type TestApp } from './app.ts';
import { BACKEND_API_KEY, BACKEND_ENV } from './backend-client.ts';
import { FakeOpenAI, type FakeMode } from './fake-openai.ts';

/** Headers the legacy back end sends on every call. */
export const BACKEND_HEADERS = {
  'x-api-key': BACKEND_API_KEY,
  'x-service-name': 'tenderly-backend',
  'content-type': 'application/json',
};

export interface BackendModelApp {
  readonly t: TestApp;
  readonly fake: FakeOpenAI;
  /** POSTs as the back end and asserts a 200 that the model (one call) answered. */
  post(url: string, payload: object): Promise<LightMyRequestResponse>;
  stop(): Promise<void>;
}

/** The app configured as the back end reaches it, its model a fake answering in one mode (hostile, obeying…). */
export async function startBackendModelApp(mode: FakeMode): Promise<BackendModelApp> {
  const fake = await new FakeOpenAI({ modes: [mode] }).start();
  const t = await startTestApp({
    ...BACKEND_ENV,
    DIAGNOSIS_PROVIDER: 'openai',
    OPENAI_API_KEY: 'sk-test',
    OPENAI_BASE_URL: fake.baseURL,
    RATE_LIMIT_MAX: '100000',
  });
  return {
    t,
    fake,
    async post(url, payload) {
      const calls = fake.calls;
      const res = await t.app.inject({ method: 'POST', url, headers: BACKEND_HEADERS, payload });
      expect(res.statusCode).toBe(200);
      expect(fake.calls).toBe(calls + 1); // the model answered, and its answer was used
      return res;
    },
    async stop() {
      await t.app.close();
      await fake.stop();
    },
  };
}
