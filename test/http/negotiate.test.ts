import { describe, expect, it } from 'vitest';
import { preferredFormat } from '../../src/http/negotiate.ts';

const FHIR = 'application/fhir+json';

describe('preferredFormat', () => {
  const cases: Array<[string, 'json' | 'fhir' | null]> = [
    ['application/json, text/plain, */*', 'json'],
    [`${FHIR}, application/json;q=0.5`, 'fhir'],
    ['application/json;q=0.2, application/fhir+json', 'fhir'],
    ['application/xml', null],
    ['application/json;q=0, application/fhir+json;q=0', null],
  ];

  it('answers a repeated Accept as it did the first time (remembered answers, refusals included)', () => {
    for (let round = 0; round < 3; round++) {
      for (const [accept, format] of cases)
        expect(preferredFormat(accept), `${round} ${accept}`).toBe(format);
    }
  });

  it('keeps answering correctly past the number of remembered headers and for headers too long to remember', () => {
    // 600 distinct headers (more than are remembered), each either JSON-first or FHIR-first.
    const many = Array.from({ length: 600 }, (_, i): [string, 'json' | 'fhir'] =>
      i % 2 === 0 ? [`application/json, text/x-${i}`, 'json'] : [`${FHIR}, text/x-${i}`, 'fhir'],
    );
    for (let round = 0; round < 2; round++) {
      for (const [accept, format] of [...many, ...cases]) expect(preferredFormat(accept)).toBe(format);
    }
    const long = `${'text/x-padding;q=0.1, '.repeat(40)}${FHIR}`;
    expect(long.length).toBeGreaterThan(256);
    expect(preferredFormat(long)).toBe('fhir');
    expect(preferredFormat(`${long};q=0, application/json;q=0.5`)).toBe('json');
    expect(preferredFormat(`${long};q=0`)).toBeNull();
  });
});
