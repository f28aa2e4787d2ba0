import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { foldForMatching, normalizeStrings, normalizeText } from '../../../src/domain/text/normalize.ts';

describe('normalizeText', () => {
  it.each([
    ['fullwidth letters and ideographic space', 'ｓｈａｒｐ\u3000ｐｅｌｖｉｃ ｐａｉｎ', 'sharp pelvic pain'],
    ['a zero-width space inside a word', 'ibu\u200bprofen', 'ibuprofen'],
    ['zero-width joiner, non-joiner, word joiner, BOM', 'ibu\u200dpro\u200cfe\u2060n\ufeff', 'ibuprofen'],
    ['a soft hyphen', 'ibu\u00adprofen', 'ibuprofen'],
    ['bidi overrides and isolates', '\u202eshoulder\u202c \u2066tip\u2069 pain\u200f', 'shoulder tip pain'],
    ['invisible tag characters (ASCII smuggling)', 'pain\u{e0049}\u{e0067}', 'pain'],
    ['control characters', 'blee\u0000ding\u0007', 'bleeding'],
    ['typographic quotes', '‘waters’ “broke”', '\'waters\' "broke"'],
    ['dashes and the minus sign', 'right–sided — pain − 2', 'right-sided - pain - 2'],
    ['runs of spaces, NBSP and tabs', '  heavy \u00a0\t bleeding  ', 'heavy bleeding'],
    ['ligatures and compatibility forms', 'ﬁbroids ①', 'fibroids 1'],
  ])('%s', (_name, input, expected) => {
    expect(normalizeText(input)).toBe(expected);
  });

  it('keeps one line break per break, because a line ends a clause for negation', () => {
    expect(normalizeText('no fever\r\n\r\n  heavy bleeding\u2028pain')).toBe(
      'no fever\nheavy bleeding\npain',
    );
  });

  it('keeps case and diacritics, which the model and clinicians read', () => {
    expect(normalizeText('Douleur pelvienne sévère')).toBe('Douleur pelvienne sévère');
  });

  it('leaves plain printable ASCII with single spaces unchanged', () => {
    fc.assert(fc.property(fc.stringMatching(/^[!-~]+( [!-~]+)*$/), (text) => normalizeText(text) === text));
  });

  it('is idempotent on any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const once = normalizeText(text);
        return normalizeText(once) === once;
      }),
      { numRuns: 1000 },
    );
  });

  it('never leaves a format or control character (other than a line feed) behind', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary' }),
        (text) => !/[\p{Cf}]|[^\P{Cc}\n]/u.test(normalizeText(text)),
      ),
      { numRuns: 1000 },
    );
  });
});

describe('foldForMatching', () => {
  it('folds case and diacritics so "É" matches "e"', () => {
    expect(foldForMatching('SÉVÈRE Hämorrhagie naïve Straße Œdème')).toBe(
      'severe hamorrhagie naive strasse oedeme',
    );
  });

  it('reads text that skipped the boundary the same way (fullwidth, zero-width)', () => {
    expect(foldForMatching('ＩＢＵ\u200bＰＲＯＦＥＮ')).toBe('ibuprofen');
  });
});

describe('normalizeStrings', () => {
  it('normalises every string and key of a parsed body and keeps other values', () => {
    const body = {
      symptoms: ['ｐａｉｎ', 'bleed\u00ading'],
      details: { 'flow\u200b_intensity': 'ｈｅａｖｙ', clots: true, days: 3, other: null },
    };
    expect(normalizeStrings(body)).toEqual({
      symptoms: ['pain', 'bleeding'],
      details: { flow_intensity: 'heavy', clots: true, days: 3, other: null },
    });
  });
});
