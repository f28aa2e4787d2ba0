import { describe, expect, it } from 'vitest';
import { fitJson, type JsonPath } from '../../../src/domain/text/fit-json.ts';

const size = (v: unknown) => Buffer.byteLength(JSON.stringify(v));

describe('fitJson', () => {
  const answer = {
    level: 'emergency',
    flags: Array.from({ length: 20 }, (_, i) => `red flag ${i} ${'f'.repeat(100)}`),
    items: Array.from({ length: 10 }, (_, i) => ({ code: `C${i}`, text: 't'.repeat(2000) })),
    advice: Array.from({ length: 500 }, (_, i) => `advice ${i} ${'a'.repeat(60)}`),
  };
  const protection = (path: JsonPath) => {
    if (path[0] === 'level' || path[0] === 'flags') return 'keep' as const;
    if (path[0] === 'items')
      return path.length === 1 ? ('keep-items' as const) : path[2] === 'code' ? ('keep' as const) : undefined;
    return undefined;
  };

  it('returns the value unchanged when it fits', () => {
    expect(fitJson(answer, 1_000_000, protection)).toBe(answer);
  });

  it('shrinks to the budget, keeping protected parts and the first item of every list', () => {
    const fitted = fitJson(answer, 8_000, protection);
    expect(size(fitted)).toBeLessThanOrEqual(8_000);
    expect(fitted.level).toBe('emergency');
    expect(fitted.flags).toEqual(answer.flags);
    expect(fitted.items.map((i) => i.code)).toEqual(answer.items.map((i) => i.code));
    expect(fitted.advice[0]).toBe(answer.advice[0]);
    expect(fitted.advice.length).toBeLessThan(answer.advice.length);
  });
});
