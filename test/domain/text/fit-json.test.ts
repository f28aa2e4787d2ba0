import { describe, expect, it } from 'vitest';
import { fitJson, jsonBytesAtMost, type JsonPath } from '../../../src/domain/text/fit-json.ts';

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

describe('jsonBytesAtMost', () => {
  const awkward: unknown[] = [
    '',
    'plain text',
    '"quoted" \\ back\\slash',
    '\u0000\u0001\u001f control',
    'new\nline\ttab',
    '\ud800 lone high, \udfff lone low',
    'emoji 🩺🤰 and accents éà',
    '中文 日本語',
    -1.2345678901234567e-308,
    Number.MAX_VALUE,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    0,
    true,
    false,
    null,
    [undefined, () => 1, Symbol('s')],
    { skipped: undefined, fn: () => 1, '\u0000key"': 'v' },
    [[[['deep']]], { a: [{ b: [{ c: 'é'.repeat(50) }] }] }],
    Object.assign(Object.create({ inherited: 'x'.repeat(1000) }), { own: 1 }),
  ];

  it('is never below the real JSON size, whatever the characters', () => {
    for (const value of [...awkward, awkward, { all: awkward }]) {
      const exact = Buffer.byteLength(JSON.stringify(value) ?? '', 'utf8');
      expect(jsonBytesAtMost(value), JSON.stringify(value)).toBeGreaterThanOrEqual(exact);
    }
  });

  it('gives up (Infinity) where it cannot bound: toJSON, bigint, a cycle, a boxed number', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(jsonBytesAtMost({ when: new Date(0) })).toBe(Infinity);
    expect(jsonBytesAtMost([1n])).toBe(Infinity);
    expect(jsonBytesAtMost(cycle)).toBe(Infinity);
    expect(jsonBytesAtMost({ boxed: new Number(123456789012345680) })).toBe(Infinity);
  });

  it('leaves fitJson exact when the bound is loose: a value just under budget is returned unchanged', () => {
    const value = { text: '\u0001'.repeat(10) + 'a'.repeat(1000) };
    const exact = size(value);
    expect(jsonBytesAtMost(value)).toBeGreaterThan(exact + 100);
    expect(fitJson(value, exact, () => undefined)).toBe(value);
    expect(size(fitJson(value, exact - 1, () => undefined))).toBeLessThanOrEqual(exact - 1);
  });
});
