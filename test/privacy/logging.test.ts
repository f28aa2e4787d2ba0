import { createConnection, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeOpenAI } from '../support/fake-openai.ts';
import { SAMPLE_REQUEST, TEST_JWT_SECRET, TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';
import { nowSeconds, signJwt } from '../support/jwt.ts';

const PATIENT_ID = '5f8d0d55b54764421b7156c9';
const FHIR_SUBJECT = 'Patient/SECRET-SUBJECT-e41c';

describe('logging privacy', () => {
  let fake: FakeOpenAI;
  let t: TestApp;

  beforeAll(async () => {
    fake = await new FakeOpenAI({ modes: ['error500', 'valid'] }).start();
    t = await startTestApp({
      DIAGNOSIS_PROVIDER: 'openai',
      OPENAI_API_KEY: 'sk-test-SECRET-OPENAI',
      OPENAI_BASE_URL: fake.baseURL,
      LOG_LEVEL: 'trace',
    });
  });
  afterAll(async () => {
    await t.app.close();
    await fake.stop();
  });

  it('writes one line per request with route, status, duration, request id and principal', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha, 'x-request-id': 'req-privacy-1' },
      payload: SAMPLE_REQUEST,
    });
    expect(res.statusCode).toBe(200);
    const lines = t.logs
      .records()
      .filter((r) => r.reqId === 'req-privacy-1' && r.msg === 'request completed');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      method: 'POST',
      route: '/v1/diagnose',
      status: 200,
      principal: 'alpha',
    });
    expect(typeof lines[0]?.duration_ms).toBe('number');
  });

  it('never logs symptoms, notes, ages, patient ids or credentials, even at trace level and on errors', async () => {
    const token = signJwt({ sub: 'svc', exp: nowSeconds() + 60 }, TEST_JWT_SECRET);
    const before = t.logs.lines.length;
    const answered = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: {
        'x-api-key': TEST_KEYS.alpha,
        authorization: `Bearer ${token}`,
        'x-patient-id': PATIENT_ID,
        cookie: 'session=SECRET-COOKIE',
      },
      payload: {
        ...SAMPLE_REQUEST,
        patient: { age: 87 },
        symptoms: [...SAMPLE_REQUEST.symptoms, 'SECRET-PHRASE-9c2e glimmers'],
      },
    });
    // The client's FHIR patient reference, answered as FHIR and as JSON, and rejected when malformed.
    for (const accept of ['application/fhir+json', 'application/json']) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: { 'x-api-key': TEST_KEYS.alpha, accept },
        payload: { ...SAMPLE_REQUEST, subject: FHIR_SUBJECT },
      });
      expect(res.statusCode).toBe(200);
    }
    expect(answered.statusCode).toBe(200);
    const badSubject = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha, accept: 'application/fhir+json' },
      payload: { ...SAMPLE_REQUEST, subject: 'Group/SECRET-SUBJECT-e41c' },
    });
    expect(badSubject.statusCode).toBe(400);
    // A validation failure must not echo the rejected values into the logs either.
    const invalid = await t.app.inject({
      method: 'POST',
      url: '/v1/diagnose',
      headers: { 'x-api-key': TEST_KEYS.alpha },
      payload: { ...SAMPLE_REQUEST, patient: { age: 7 }, unexpected: 'SECRET-UNKNOWN-FIELD' },
    });
    expect(invalid.statusCode).toBe(400);
    // The phrases the engine did not understand go back to the client, never into the logs.
    const unrecognized: string[] = answered.json().unrecognized;
    expect(unrecognized).toContain('SECRET-PHRASE-9c2e glimmers');
    // This test's own five requests were logged (not just the previous test's); nothing in the log leaked.
    const own = t.logs.lines.slice(before);
    expect(own.filter((l) => l.includes('"request completed"'))).toHaveLength(5);
    const text = t.logs.text;
    for (const phrase of unrecognized) expect(text).not.toContain(phrase);
    for (const secret of [
      ...SAMPLE_REQUEST.symptoms,
      SAMPLE_REQUEST.notes,
      'SECRET-NOTE-6b1f',
      PATIENT_ID,
      TEST_KEYS.alpha,
      token,
      'SECRET-COOKIE',
      'sk-test-SECRET-OPENAI',
      'SECRET-UNKNOWN-FIELD',
      '"age":87',
      'SECRET-SUBJECT-e41c',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  describe('patient ids in edge cases never reach the request log or the audit log in clear', () => {
    /** The records of one request: its request-log line and its audit record, both carrying the pseudonymized id. */
    async function recordsOf(send: () => Promise<unknown>): Promise<Array<Record<string, unknown>>> {
      const before = t.logs.lines.length;
      await send();
      const records = t.logs.lines.slice(before).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(records.filter((r) => r.msg === 'request completed')).toHaveLength(1);
      expect(records.filter((r) => r.audit === true)).toHaveLength(1);
      return records;
    }
    const diagnose = (headers: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/v1/diagnose',
        headers: { 'x-api-key': TEST_KEYS.alpha, ...headers },
        payload: SAMPLE_REQUEST,
      });

    it('a short id (P7731 inside visit-P7731-1)', async () => {
      const records = await recordsOf(() =>
        diagnose({ 'x-patient-id': 'P7731', 'x-request-id': 'visit-P7731-1' }),
      );
      expect(JSON.stringify(records)).not.toMatch(/p7731/i);
      const ids = new Set(records.map((r) => r.reqId ?? r.request_id));
      expect([...ids]).toEqual([expect.stringMatching(/^visit-p[0-9a-f]{16}-1$/)]);
    });

    it('X-Patient-ID sent twice (Node joins the values with ", ")', async () => {
      const id = '5f8d0d55b54764421b7156ca';
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.server.address() as AddressInfo;
      const records = await recordsOf(() =>
        rawRequest(
          port,
          [
            'POST /v1/diagnose HTTP/1.1',
            `host: 127.0.0.1:${port}`,
            `x-api-key: ${TEST_KEYS.alpha}`,
            `x-patient-id: ${id}`,
            `x-patient-id: ${id}`,
            `x-request-id: visit-${id}-2`,
            'content-type: application/json',
          ],
          JSON.stringify(SAMPLE_REQUEST),
        ),
      );
      expect(JSON.stringify(records)).not.toContain(id);
      const audit = records.find((r) => r.audit === true);
      expect(audit?.request_id).toMatch(/^visit-p[0-9a-f]{16}-2$/);
      expect(audit?.patient_id_hash).toMatch(/^[0-9a-f]{16}$/);
    });

    it.each([
      ['a short id', 'P7731'],
      ['a UUID', '3f2c9e1a-7b4d-4e8f-9a6b-1c2d3e4f5a6b'],
      ['a record id', '5f8d0d55b54764421b7156cb'],
    ])('the back end’s ai_agent_<id>_<ms>_<n> without X-Patient-ID: %s', async (_name, id) => {
      const records = await recordsOf(() => diagnose({ 'x-request-id': `ai_agent_${id}_1732528800000_1` }));
      expect(JSON.stringify(records).toLowerCase()).not.toContain(id.toLowerCase());
      for (const r of records.filter((r) => r.msg === 'request completed' || r.audit === true)) {
        expect(r.reqId ?? r.request_id).toMatch(/^ai_agent_p[0-9a-f]{16}_1732528800000_1$/);
      }
    });
  });
});

/** Sends a request by hand, so a header can be repeated as a real client would send it. */
function rawRequest(port: number, head: string[], body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    socket.on('connect', () =>
      socket.write(
        `${head.join('\r\n')}\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      ),
    );
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
    socket.on('end', () => resolve(reply));
    socket.on('error', reject);
  });
}
