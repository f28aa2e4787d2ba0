/**
 * Issue 12, finding 6: errors raised by Fastify or Node's HTTP parser before any hook runs still leave in
 * the error shape, with the security headers (helmet's) — through a real socket, as a client sees them.
 */
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_KEYS, startTestApp, type TestApp } from '../support/app.ts';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

describe('framework-level errors', () => {
  let t: TestApp;
  let port: number;
  let expected: Record<string, string | string[] | undefined>;

  beforeAll(async () => {
    t = await startTestApp({});
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as AddressInfo).port;
    // The headers helmet adds to an ordinary answer are the reference.
    const normal = await send('/health/live');
    expected = Object.fromEntries(
      [
        'content-security-policy',
        'strict-transport-security',
        'x-content-type-options',
        'x-frame-options',
        'referrer-policy',
        'cross-origin-resource-policy',
      ].map((name) => [name, normal.headers[name]]),
    );
    expect(Object.values(expected).every(Boolean)).toBe(true);
  });
  afterAll(async () => t.app.close());

  function send(path: string, headers: Record<string, string> = {}, method = 'GET', body?: string) {
    return new Promise<Answer>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path, method, headers, agent: false }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  function expectShaped(answer: Answer, status: number, code: string) {
    expect(answer.status, answer.body).toBe(status);
    expect(answer.headers['content-type']).toMatch(/^application\/json/);
    const body = JSON.parse(answer.body);
    expect(body).toEqual({ error: { code, message: expect.any(String) }, request_id: expect.any(String) });
    for (const [name, value] of Object.entries(expected)) expect(answer.headers[name], name).toEqual(value);
  }

  it('answers a malformed percent-encoding in the URL with 400 invalid_request', async () => {
    const answer = await send('/v1/%E0%A4%A');
    expectShaped(answer, 400, 'invalid_request');
    expect(answer.headers['x-request-id']).toBe(JSON.parse(answer.body).request_id);
    expect(answer.body).not.toContain('FST_ERR');
  });

  it('answers a header block over the limit with 431', async () => {
    expectShaped(await send('/health/live', { 'x-padding': 'a'.repeat(20_000) }), 431, 'headers_too_large');
  });

  it('answers an unsupported content type with 415 in the same shape', async () => {
    const answer = await send(
      '/v1/diagnose',
      { 'content-type': 'text/plain', 'x-api-key': TEST_KEYS.alpha },
      'POST',
      'hello',
    );
    expectShaped(answer, 415, 'unsupported_media_type');
  });

  it('answers malformed JSON with 400 in the same shape', async () => {
    const answer = await send(
      '/v1/diagnose',
      { 'content-type': 'application/json', 'x-api-key': TEST_KEYS.alpha },
      'POST',
      '{"patient":',
    );
    expectShaped(answer, 400, 'invalid_request');
  });
});
