import { describe, expect, it } from 'vitest';
import { toFastApiShape } from '../../src/legacy/error-handler.ts';

describe('canonical error bodies on legacy routes', () => {
  const canonical = {
    error: { code: 'service_unavailable', message: 'The service is overloaded. Try again later.' },
    request_id: 'r',
  };

  it('rewrites objects and pre-serialized strings (load shedding) to {"detail": message}', () => {
    expect(toFastApiShape(429, canonical)).toEqual({ detail: canonical.error.message });
    expect(toFastApiShape(503, JSON.stringify(canonical))).toBe(
      JSON.stringify({ detail: canonical.error.message }),
    );
  });

  it('leaves successes, FastAPI bodies and anything else alone', () => {
    expect(toFastApiShape(200, canonical)).toBe(canonical);
    const fastapi = { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required' }] };
    expect(toFastApiShape(422, fastapi)).toBe(fastapi);
    expect(toFastApiShape(500, '{"error": not json')).toBe('{"error": not json');
    expect(toFastApiShape(500, 'plain')).toBe('plain');
  });
});
