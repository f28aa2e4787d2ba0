import { describe, expect, it } from 'vitest';
import { matchConcepts, type MatchInput } from '../../../src/domain/vocabulary/matcher.ts';

const read = (...inputs: (string | MatchInput)[]) => matchConcepts(inputs);
const history = (text: string): MatchInput => ({ text, mode: 'history', scored: false });

describe('negation is scoped to its clause', () => {
  it('ends at "but": the pain after it is present', () => {
    const r = read('no fever but the tummy pain is getting worse');
    expect(r.negated).toContain('fever');
    expect(r.present).toContain('abdominal_pain');
  });

  it('covers every item of a list that ends in "or"', () => {
    const r = read('no fever, chills or vomiting');
    expect([...r.negated]).toEqual(expect.arrayContaining(['fever', 'rigors', 'vomiting']));
    expect(r.present.size).toBe(0);
  });

  it('does not carry over a comma without a list', () => {
    expect(read('no itching, fishy smell').present).toContain('fishy_odour');
  });

  it('stops at "and": an ambiguous finding after it is kept', () => {
    const r = read('no fever and heavy bleeding');
    expect(r.negated).toContain('fever');
    expect(r.present).toContain('heavy_bleeding');
  });

  it('reads denials placed after the finding', () => {
    expect(read('fever: none').negated).toContain('fever');
    expect(read('bleeding? no').negated).toContain('vaginal_bleeding');
    expect(read('bleeding - denied').negated).toContain('vaginal_bleeding');
  });

  it('treats doubt as a possible finding, not a denial', () => {
    expect(read('not sure if I have a fever').present).toContain('fever');
    expect(read("don't know if the waters went").present).toContain('fluid_leak');
  });

  it('does not take words that stem to a cue for a cue', () => {
    // "note" stems to "not": it must not deny what follows.
    expect(read('note: heavy bleeding').present).toContain('heavy_bleeding');
  });
});

describe('history is history', () => {
  it('keeps a past episode out of the current findings, as history', () => {
    const r = read('I had heavy bleeding 5 years ago');
    expect(r.present).not.toContain('heavy_bleeding');
    expect(r.history).toContain('heavy_bleeding');
  });

  it('still counts a past mention of a risk factor', () => {
    expect(read('had chlamydia last year').present).toContain('sti_risk');
  });

  it('counts a recent episode in a complaint as current', () => {
    expect(read('bled 2 days ago').present).toContain('vaginal_bleeding');
    expect(read('gave birth 2 weeks ago').present).toContain('recent_birth');
  });

  it('reads medical history as past unless the text says it is happening now', () => {
    expect(read(history('heavy bleeding after my first baby')).present).not.toContain('heavy_bleeding');
    expect(read(history('high blood pressure')).present).not.toContain('raised_bp_reading');
    expect(read(history('bleeding heavily since this morning')).present).toContain('heavy_bleeding');
    expect(read(history('my blood pressure is high')).present).toContain('raised_bp_reading');
    expect(read(history('ectopic in 2019')).present).toContain('previous_ectopic');
  });

  it('lets a current mention win over a past one', () => {
    const r = read(history('heavy bleeding after my first baby'), 'heavy bleeding now');
    expect(r.present).toContain('heavy_bleeding');
    expect(r.history).not.toContain('heavy_bleeding');
  });
});
