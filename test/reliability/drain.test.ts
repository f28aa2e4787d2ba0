// Drain on shutdown: a real server process with 200 diagnoses in flight (the fake model answers after 1 s) gets
// SIGTERM. Every request accepted before the signal completes with 200, requests sent after it are refused or
// get 503, the process exits 0 (close-with-grace exits 1 when the grace period runs out), and the audit log has
// exactly one record per completed request.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DiagnoseResponse } from '../../src/domain/schemas/diagnose.ts';
import { SAMPLE_REQUEST, TEST_KEYS } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { startServerProcess, type ServerProcess } from '../support/server-process.ts';

const IN_FLIGHT = 200;
const AFTER_SIGNAL = 20;
/** Deadlines only stop a broken run from hanging; nothing here asserts on timing. */
const HANG_GUARD_MS = 60_000;

async function until(what: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + HANG_GUARD_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

type Outcome = { status: number; body: string; requestId: string | null } | { error: string };

async function diagnose(url: string, requestId: string): Promise<Outcome> {
  try {
    const res = await fetch(`${url}/v1/diagnose`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': TEST_KEYS.alpha,
        'x-request-id': requestId,
      },
      body: JSON.stringify(SAMPLE_REQUEST),
      signal: AbortSignal.timeout(HANG_GUARD_MS),
    });
    return { status: res.status, body: await res.text(), requestId: res.headers.get('x-request-id') };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    return { error: cause?.code ?? (error as Error).name };
  }
}

describe('drain on shutdown', () => {
  let fake: FakeOpenAI;
  let dir: string;
  let server: ServerProcess | null = null;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ delayMs: 1000 }).start();
    dir = mkdtempSync(join(tmpdir(), 'tenderly-drain-'));
  });
  afterAll(async () => {
    if (server && server.child.exitCode === null) server.child.kill('SIGKILL');
    await fake.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finishes every accepted request, refuses new ones, exits 0, and audits each completed request once', async () => {
    const auditPath = join(dir, 'audit.jsonl');
    server = await startServerProcess({
      API_KEYS: `alpha:${TEST_KEYS.alpha}`,
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: fake.baseURL,
      OPENAI_TIMEOUT_MS: '30000',
      OPENAI_DEADLINE_MS: '30000',
      RATE_LIMIT_MAX: '1000000',
      AUDIT_LOG_PATH: auditPath,
      SHUTDOWN_GRACE_MS: '30000',
    });
    const { url } = server;

    const ids = Array.from({ length: IN_FLIGHT }, (_, i) => `drain-inflight-${i}`);
    const inflight = ids.map((id) => diagnose(url, id));
    // Every request has reached the model: all 200 are accepted and in the middle of their work.
    await until(`${IN_FLIGHT} upstream calls`, () => fake.calls >= IN_FLIGHT);
    expect(fake.calls).toBe(IN_FLIGHT);

    server.child.kill('SIGTERM');
    // The server has handled the signal (it logs before it closes its listener).
    await until('the shutdown log line', () => (server as ServerProcess).output().includes('shutting down'));

    const lateIds = Array.from({ length: AFTER_SIGNAL }, (_, i) => `drain-late-${i}`);
    const late = await Promise.all(lateIds.map((id) => diagnose(url, id)));
    for (const outcome of late) {
      // Refused (the listener is closed) or reset, never left hanging; or answered 503.
      if ('error' in outcome)
        expect(['ECONNREFUSED', 'ECONNRESET', 'UND_ERR_SOCKET']).toContain(outcome.error);
      else expect(outcome.status, outcome.body).toBe(503);
    }

    const done = await Promise.all(inflight);
    for (const [i, outcome] of done.entries()) {
      expect('error' in outcome ? outcome.error : null, `request ${i}`).toBeNull();
      if ('error' in outcome) continue;
      expect(outcome.status, outcome.body).toBe(200);
      const parsed = DiagnoseResponse.safeParse(JSON.parse(outcome.body));
      expect(parsed.success, outcome.body).toBe(true);
      expect(parsed.data?.engine).toMatchObject({ provider: 'openai', fallback: false });
      expect(outcome.requestId).toBe(ids[i]);
    }
    // No late request reached the model.
    expect(fake.calls).toBe(IN_FLIGHT);

    const code = await Promise.race([
      server.exited,
      new Promise<'hung'>((r) => setTimeout(() => r('hung'), HANG_GUARD_MS)),
    ]);
    expect(code, server.output().slice(-2000)).toBe(0);

    // The audit log: JSON lines marked "audit": true, exactly one per completed request.
    const records = readFileSync(auditPath, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { audit?: unknown; request_id?: unknown; status?: unknown });
    const audited = records.filter((r) => r.audit === true);
    const perId = new Map<unknown, number>();
    for (const r of audited) perId.set(r.request_id, (perId.get(r.request_id) ?? 0) + 1);
    for (const id of ids) expect(perId.get(id), `audit records for ${id}`).toBe(1);
    for (const r of audited.filter((r) => ids.includes(r.request_id as string))) expect(r.status).toBe(200);
    // Nothing else was audited twice, and late requests were audited only if the pipeline answered them.
    for (const [id, count] of perId) expect(count, `audit records for ${String(id)}`).toBe(1);
    const lateAnswered = late
      .filter((o) => !('error' in o) && o.requestId !== null)
      .map((o) => (o as { requestId: string }).requestId);
    for (const id of lateIds) if (!lateAnswered.includes(id)) expect(perId.has(id), id).toBe(false);
  }, 180_000);
});
