import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeHttpFetch } from '../../src/infra/node-http-fetch.ts';

describe('node:http fetch for the OpenAI SDK', () => {
  let server: Server;
  let base: string;
  const fetchImpl = createNodeHttpFetch({ maxResponseBytes: 1024 });

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (req.url === '/echo') {
          res.writeHead(201, { 'content-type': 'application/json', 'set-cookie': ['a=1', 'b=2'] });
          res.end(JSON.stringify({ method: req.method, body, auth: req.headers.authorization }));
        } else if (req.url === '/gzip') {
          res.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/json' });
          res.end(gzipSync(JSON.stringify({ ok: true })));
        } else if (req.url === '/huge') {
          res.writeHead(200);
          res.end('x'.repeat(4096));
        } else if (req.url === '/stall') {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.write('{"partial":');
        } else if (req.url === '/cut') {
          res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
          res.write('{"partial":', () => res.destroy());
        } else if (req.url === '/429') {
          res.writeHead(429, { 'retry-after': '7' });
          res.end('{"error":{}}');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('sends method, headers and body, and returns status, headers and body', async () => {
    const res = await fetchImpl(`${base}/echo`, {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('set-cookie')).toBe('a=1, b=2');
    expect(await res.json()).toEqual({ method: 'POST', body: '{"a":1}', auth: 'Bearer t' });
  });

  it('decodes a gzip-encoded answer', async () => {
    const res = await fetchImpl(`${base}/gzip`);
    expect(res.headers.get('content-encoding')).toBeNull();
    expect(await res.json()).toEqual({ ok: true });
  });

  it('passes error statuses and their headers through for the SDK to classify', async () => {
    const res = await fetchImpl(`${base}/429`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
  });

  it('refuses an answer over the size cap', async () => {
    await expect(fetchImpl(`${base}/huge`)).rejects.toThrow(/larger than 1024 bytes/);
  });

  it('aborts a body that stalls after the headers when the signal fires', async () => {
    const controller = new AbortController();
    const pending = fetchImpl(`${base}/stall`, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('rejects an answer whose connection closes before the whole body arrived', async () => {
    await expect(fetchImpl(`${base}/cut`)).rejects.toThrow(/closed the connection|aborted/);
  });

  it('reads the buffered body as text or bytes too', async () => {
    const text = await (await fetchImpl(`${base}/echo`, { method: 'POST', body: 'é' })).text();
    expect(JSON.parse(text)).toMatchObject({ body: 'é' });
    const bytes = await (await fetchImpl(`${base}/echo`, { method: 'PUT', body: 'x' })).arrayBuffer();
    expect(JSON.parse(Buffer.from(bytes).toString('utf8'))).toMatchObject({ method: 'PUT', body: 'x' });
  });

  it('rejects when nothing listens', async () => {
    await expect(fetchImpl('http://127.0.0.1:1/')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
