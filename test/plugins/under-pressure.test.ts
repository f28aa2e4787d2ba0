import { afterEach, describe, expect, it, vi } from 'vitest';
import Fastify, { type FastifyInstance } from 'fastify';
import errorsPlugin from '../../src/plugins/errors.ts';
import underPressurePlugin from '../../src/plugins/under-pressure.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

const closers: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A small app whose only pressure threshold (1 byte of heap) is always exceeded once sampled. */
async function overloadedApp(): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(errorsPlugin);
  await app.register(underPressurePlugin, { maxHeapUsedBytes: 1, sampleInterval: 10, retryAfterSeconds: 7 });
  app.get('/work', async () => ({ done: true }));
  app.get('/health/live', async () => ({ status: 'ok' }));
  await app.ready();
  closers.push(() => app.close());
  return app;
}

describe('under pressure', () => {
  it('sheds load with 503, Retry-After and the service error shape', async () => {
    const app = await overloadedApp();
    const res = await vi.waitFor(
      async () => {
        const r = await app.inject({ method: 'GET', url: '/work', headers: { 'x-request-id': 'busy-1' } });
        expect(r.statusCode, 'shedding after the pressure sample').toBe(503);
        return r;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(res.headers['retry-after']).toBe('7');
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({
      error: { code: 'service_unavailable', message: expect.any(String) },
      request_id: expect.any(String),
    });
  });

  it('keeps liveness answering while shedding', async () => {
    const app = await overloadedApp();
    await vi.waitFor(
      async () => expect((await app.inject({ method: 'GET', url: '/work' })).statusCode).toBe(503),
      { timeout: 20_000, interval: 100 },
    );
    expect((await app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });

  it('is registered in the app without exposing a status route', async () => {
    const testApp: TestApp = await startTestApp();
    closers.push(() => testApp.app.close());
    expect(testApp.app.hasDecorator('isUnderPressure')).toBe(true);
    expect((await testApp.app.inject({ method: 'GET', url: '/status' })).statusCode).toBe(404);
    expect((await testApp.app.inject({ method: 'GET', url: '/health/live' })).statusCode).toBe(200);
  });
});
