import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { PROMPT_VERSION } from '../../src/domain/providers/openai/prompt.ts';
import { SAMPLE_REQUEST, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';

const PATIENT_ID = '5f8d0d55b54764421b7156c9';
const SALT = 'audit-test-salt-0123456789';

let fake: FakeOpenAI;
let dir: string;
const apps: TestApp[] = [];

async function start(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  const testApp = await startTestApp({
    DIAGNOSIS_PROVIDER: 'openai',
    OPENAI_API_KEY: 'x',
    OPENAI_BASE_URL: fake.baseURL,
    OPENAI_MAX_RETRIES: '0',
    AUDIT_HASH_SALT: SALT,
    ...env,
  });
  apps.push(testApp);
  return testApp;
}

const diagnose = (
  app: FastifyInstance,
  headers: Record<string, string> = {},
  payload: object = SAMPLE_REQUEST,
) =>
  app.inject({
    method: 'POST',
    url: '/v1/diagnose',
    headers: { 'x-api-key': TEST_KEYS.alpha, 'x-patient-id': PATIENT_ID, ...headers },
    payload,
  });

function readAudit(path: string): Array<Record<string, any>> {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

const auditLines = (testApp: TestApp) => testApp.logs.records().filter((r) => r.audit === true);

/** Everything a record must never contain in clear. */
function expectNoPatientData(text: string): void {
  for (const symptom of SAMPLE_REQUEST.symptoms) expect(text).not.toContain(symptom);
  expect(text).not.toContain('SECRET-NOTE-6b1f');
  expect(text).not.toContain(SAMPLE_REQUEST.duration);
  expect(text).not.toContain(PATIENT_ID);
  expect(text).not.toMatch(/"age"/);
}

beforeAll(async () => {
  fake = await new FakeOpenAI().start();
  dir = mkdtempSync(join(tmpdir(), 'tenderly-audit-'));
});
beforeEach(() => fake.setModes(['valid']));
afterEach(async () => {
  await Promise.all(apps.splice(0).map((a) => a.app.close()));
});
afterAll(async () => {
  await fake?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('audit log', () => {
  it('writes exactly one metadata-only record per diagnosis to AUDIT_LOG_PATH, flushed on close', async () => {
    const path = join(dir, 'one', 'audit.log');
    const testApp = await start({ AUDIT_LOG_PATH: path });
    const res = await diagnose(testApp.app, { 'x-request-id': 'audit-req-1' });
    expect(res.statusCode).toBe(200);
    await testApp.app.close();

    const text = readFileSync(path, 'utf8');
    const records = readAudit(path);
    expect(records).toHaveLength(1);
    const record = records[0] as Record<string, any>;
    expect(record).toMatchObject({
      audit: true,
      event: 'diagnosis',
      request_id: 'audit-req-1',
      principal: { kind: 'api-key', id: 'alpha' },
      route: '/v1/diagnose',
      status: 200,
      triage_level: res.json().triage.level,
      provider: 'openai',
      model: 'gpt-4o-mini',
      prompt_version: PROMPT_VERSION,
      fallback: false,
      tokens: { prompt: 900, completion: 300, total: 1200 },
    });
    expect(new Date(record.time).getTime()).toBeGreaterThan(Date.now() - 60_000);
    expect(record.duration_ms).toBeGreaterThan(0);

    const expectedHash = createHmac('sha256', SALT).update(PATIENT_ID).digest('hex').slice(0, 16);
    expect(record.patient_id_hash).toBe(expectedHash);
    expectNoPatientData(text);
    // Nor in the service's own logs.
    expectNoPatientData(testApp.logs.text);
    expect(auditLines(testApp)).toHaveLength(0);
  });

  it('loses nothing written just before a graceful shutdown', async () => {
    const path = join(dir, 'burst.log');
    const testApp = await start({ AUDIT_LOG_PATH: path });
    const responses = await Promise.all(Array.from({ length: 25 }, () => diagnose(testApp.app)));
    expect(responses.every((r) => r.statusCode === 200)).toBe(true);
    await testApp.app.close();
    const ids = readAudit(path).map((r) => r.request_id);
    expect(ids.sort()).toEqual(responses.map((r) => r.headers['x-request-id']).sort());
  });

  it('defaults to the service log stream, marked "audit": true, whatever LOG_LEVEL says', async () => {
    const testApp = await start({ LOG_LEVEL: 'silent' });
    expect((await diagnose(testApp.app)).statusCode).toBe(200);
    const [record] = await vi.waitFor(
      () => {
        const lines = auditLines(testApp);
        expect(lines, 'the audit record').not.toHaveLength(0);
        return lines;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(record).toMatchObject({ event: 'diagnosis', status: 200, provider: 'openai' });
    expect(auditLines(testApp)).toHaveLength(1);
    expectNoPatientData(testApp.logs.text);
  });

  it('records failures after authentication (4xx and 5xx), but not unauthenticated requests', async () => {
    const path = join(dir, 'failures.log');
    const testApp = await start({
      AUDIT_LOG_PATH: path,
      DIAGNOSIS_FALLBACK: 'none',
      API_KEY_LIMITS: 'alpha:3',
    });
    const { app } = testApp;

    const invalid = await diagnose(
      app,
      { 'x-request-id': 'invalid-body' },
      { ...SAMPLE_REQUEST, patient: { age: 7 } },
    );
    expect(invalid.statusCode).toBe(400);
    fake.setModes(['error500']);
    const upstream = await diagnose(app, { 'x-request-id': 'upstream-down' });
    expect(upstream.statusCode).toBe(503);
    const unauthenticated = await app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': 'wrong', 'x-request-id': 'no-auth' },
      payload: SAMPLE_REQUEST,
    });
    expect(unauthenticated.statusCode).toBe(401);
    await diagnose(app);
    const limited = await diagnose(app, { 'x-request-id': 'rate-limited' });
    expect(limited.statusCode).toBe(429);
    await app.close();

    const records = readAudit(path);
    const byId = new Map(records.map((r) => [r.request_id, r]));
    expect(byId.get('invalid-body')).toMatchObject({
      status: 400,
      principal: { id: 'alpha' },
      provider: null,
    });
    expect(byId.get('upstream-down')).toMatchObject({ status: 503, triage_level: null, tokens: null });
    expect(byId.get('rate-limited')).toMatchObject({ status: 429 });
    expect(byId.has('no-auth')).toBe(false);
    expect(records).toHaveLength(4);
    expectNoPatientData(readFileSync(path, 'utf8'));
  });

  it('does not audit routes that are not diagnosis routes', async () => {
    const path = join(dir, 'health.log');
    const testApp = await start({ AUDIT_LOG_PATH: path });
    await testApp.app.inject({ method: 'GET', url: '/health' });
    await testApp.app.inject({
      method: 'GET',
      url: '/health/live',
      headers: { 'x-api-key': TEST_KEYS.alpha },
    });
    await testApp.app.close();
    expect(readAudit(path)).toHaveLength(0);
  });
});
