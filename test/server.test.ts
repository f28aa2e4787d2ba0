import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from './support/fake-openai.ts';
import { SAMPLE_REQUEST, TEST_KEYS } from './support/app.ts';
import { startServerProcess } from './support/server-process.ts';

/** Starts the real server entry point with a given environment and returns how it exited. */
function runServer(env: Record<string, string>) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: '0', HOST: '127.0.0.1', ...env },
    encoding: 'utf8',
    timeout: 20_000,
  });
  return { status: result.status, stderr: result.stderr, stdout: result.stdout };
}

describe('server process', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await new FakeOpenAI({ delayMs: 1000 }).start();
  });
  afterAll(async () => fake.stop());

  it('serves with a printed development key when nothing is configured', async () => {
    const server = await startServerProcess({});
    try {
      const key = /X-API-Key: (\S+)/.exec(server.output())?.[1];
      expect(key).toMatch(/^dev_/);
      const live = await fetch(`${server.url}/health/live`);
      expect(live.status).toBe(200);
      const res = await fetch(`${server.url}/v1/diagnose`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key as string },
        body: JSON.stringify(SAMPLE_REQUEST),
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).engine.provider).toBe('knowledge-base');
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('finishes in-flight requests on SIGTERM, refuses new ones, and exits 0', async () => {
    const server = await startServerProcess({
      API_KEYS: `alpha:${TEST_KEYS.alpha}`,
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      SHUTDOWN_GRACE_MS: '10000',
    });
    const inflight = fetch(`${server.url}/v1/diagnose`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': TEST_KEYS.alpha },
      body: JSON.stringify(SAMPLE_REQUEST),
    });
    while (fake.calls === 0) await new Promise((r) => setTimeout(r, 20));
    server.child.kill('SIGTERM');
    const res = await inflight;
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).engine).toMatchObject({ provider: 'openai', fallback: false });
    expect(await server.exited).toBe(0);
    await expect(fetch(`${server.url}/health/live`)).rejects.toThrow();
  });
});

describe('server start-up', () => {
  it('exits 1 naming a bad variable', () => {
    const { status, stderr } = runServer({ OPENAI_TIMEOUT_MS: 'abc' });
    expect(status).toBe(1);
    expect(stderr).toMatch(/OPENAI_TIMEOUT_MS: expected an integer/);
  });

  it('exits 1 with the one-line error, not a stack trace, for TRUST_PROXY=abc', () => {
    const { status, stderr } = runServer({ TRUST_PROXY: 'abc' });
    expect(status).toBe(1);
    expect(stderr.trim().split('\n')).toEqual([
      'Invalid configuration; the service will not start:',
      expect.stringMatching(/^ {2}TRUST_PROXY: expected false or comma-separated proxy addresses\/CIDRs/),
    ]);
  });

  it('exits 1 in production with a short API key or the back end’s published JWT secret', () => {
    const { status, stderr } = runServer({
      NODE_ENV: 'production',
      API_KEYS: 'backend:1',
      JWT_SECRET_KEY: 'shared-jwt-secret-key-for-ai-agent',
    });
    expect(status).toBe(1);
    expect(stderr).toMatch(/^ {2}API_KEYS: the key of service "backend" is shorter than 32 characters/m);
    expect(stderr).toMatch(/^ {2}JWT_SECRET_KEY: the value is a published default/m);
    expect(stderr).not.toContain('shared-jwt-secret-key-for-ai-agent');
  });

  it('exits 1 in production without credentials', () => {
    const { status, stderr } = runServer({ NODE_ENV: 'production' });
    expect(status).toBe(1);
    expect(stderr).toContain('API_KEYS or JWT_SECRET');
  });
});
