import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { splitClauses } from '../../../src/domain/vocabulary/normalize.ts';

// A no-break space is neither a word character nor a clause break: appending one sends the text down the
// general (Unicode) word split without changing its words, clauses or offsets.
const viaUnicodePath = (text: string) => splitClauses(`${text}\u00a0`);

describe('clause splitting', () => {
  it('keeps words, stopwords, offsets and separators', () => {
    const clauses = splitClauses("Itchy, it's worse at night but no discharge");
    // A one-word item before a comma joins the clause after it; apostrophes go; "but" ends a clause.
    expect(clauses.map((c) => c.words)).toEqual([
      ['itchy', 'its', 'worse', 'at', 'night'],
      ['no', 'discharge'],
    ]);
    expect(clauses.map((c) => c.separator)).toEqual(['but', '']);
    const discharge = clauses[1]!.tokens.find((t) => t.raw === 'discharge')!;
    expect([discharge.start, discharge.end]).toEqual([34, 43]);
  });

  it('splits plain ASCII text exactly as the Unicode word pattern does', () => {
    const ascii = fc.string({
      unit: fc.constantFrom(...'abcXYZ09 \'`-_.,;:!?()\n\t"/&*'.split(''), 'but', 'no ', 'pain'),
      maxLength: 60,
    });
    fc.assert(
      fc.property(ascii, (text) => {
        expect(splitClauses(text)).toEqual(viaUnicodePath(text));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads words with accents, marks and other scripts through the Unicode pattern', () => {
    const words = splitClauses('Brûlure légère, naïve café\u0301')
      .flatMap((c) => c.tokens)
      .map((t) => t.raw);
    expect(words).toEqual(expect.arrayContaining(['brulure', 'legere', 'naive', 'cafe']));
  });
});
