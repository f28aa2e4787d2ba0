import { describe, expect, it } from 'vitest';
import { clipBytes, cleanModelText, jsonBytes, plainModelText } from '../../../src/domain/text/model-text.ts';

describe('plainModelText', () => {
  it.each([
    ['HTML and script', 'Rest <b>now</b><script>alert(1)</script>.', 'Rest now.'],
    [
      'markdown emphasis, headings, lists, links',
      '## Advice\n- **Rest** and [drink](http://x.test/y) water',
      'Advice Rest and drink water',
    ],
    [
      'URLs of every kind',
      'See https://a.example/x, www.b.example and cures.example.com/buy now',
      'See and now',
    ],
    ['e-mail addresses', 'Write to help@clinic.example.org today', 'Write to today'],
    ['phone numbers', 'Call 0800 123 4567 or +44 (20) 7946-0958.', 'Call or.'],
    ['control and format characters', 'pa\u0000in\u200b\u202e here', 'pain here'],
  ])('removes %s', (_name, input, expected) => {
    expect(plainModelText(input)).toBe(expected);
  });

  it('keeps emergency numbers, doses, blood pressures and abbreviations', () => {
    const text =
      'Call 999 or NHS 111; paracetamol 500 mg-1 g, at most 4 g (1,000 mg) a dose; BP 140/90, e.g. at 37.5 °C.';
    expect(plainModelText(text)).toBe(text);
  });
});

describe('clipBytes', () => {
  it('cuts to a JSON byte budget at a code-point boundary, with an ellipsis', () => {
    const clipped = clipBytes('é'.repeat(100), 21);
    expect(clipped).toBe(`${'é'.repeat(9)}…`);
    expect(jsonBytes(clipped)).toBeLessThanOrEqual(21);
    expect(clipBytes('😀😀😀', 8)).toBe('😀…'); // never half a surrogate pair
  });

  it('counts escaped quotes', () => {
    expect(jsonBytes('"a"')).toBe(5);
    expect(jsonBytes(clipBytes('"'.repeat(40), 20))).toBeLessThanOrEqual(20);
  });
});

describe('cleanModelText', () => {
  it('bounds any string, however long, quickly', () => {
    for (const hostile of [
      'x'.repeat(200_000),
      '['.repeat(200_000),
      'a.'.repeat(100_000),
      '<a'.repeat(100_000),
    ])
      expect(jsonBytes(cleanModelText(hostile, 300))).toBeLessThanOrEqual(300);
  });
});
