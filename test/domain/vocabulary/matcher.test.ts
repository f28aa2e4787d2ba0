import { describe, expect, it } from 'vitest';
import { matchConcepts, normalizeToken } from '../../../src/domain/vocabulary/matcher.ts';

const present = (...texts: string[]) => matchConcepts(texts).present;
const negated = (...texts: string[]) => matchConcepts(texts).negated;

describe('concept matcher', () => {
  it.each([
    ['cottage cheese discharge', 'thick_white_discharge'],
    ['a fishy smell', 'fishy_odour'],
    ["I can't keep fluids down", 'persistent_vomiting'],
    ['shoulder tip pain', 'shoulder_tip_pain'],
    ['soaking a pad every hour', 'soaking_pad_hourly'],
    ['passing large clots', 'large_clots'],
    ['my waters broke', 'fluid_leak'],
    ['baby moving less', 'reduced_fetal_movements'],
    ['burning when I pee', 'dysuria'],
    ['bleeding after sex', 'postcoital_bleeding'],
    ['thoughts of ending my life', 'suicidal_thoughts'],
  ])('recognises "%s" as %s', (text, concept) => {
    expect(present(text)).toContain(concept);
  });

  it('tolerates case, punctuation, plurals and word order', () => {
    expect(present('DISCHARGE: like COTTAGE-CHEESE!!')).toContain('thick_white_discharge');
    expect(present('clots - really large ones')).toContain('large_clots');
    expect(present('pain at the tip of my shoulders')).toContain('shoulder_tip_pain');
    expect(present('Waters have broken')).toContain('fluid_leak');
  });

  it('does not match words that are far apart in a long sentence', () => {
    expect(present('shoulder was fine yesterday, went for a long walk, took the bus, tip top')).not.toContain(
      'shoulder_tip_pain',
    );
  });

  it.each([
    ['no fever', 'fever'],
    ['denies bleeding', 'vaginal_bleeding'],
    ['without discharge', 'vaginal_discharge'],
    ["I don't have any itching", 'itch'],
    ['never fainted', 'syncope'],
    ["my waters haven't broken", 'fluid_leak'],
    ['waters have not gone', 'waters_broken'],
  ])('treats "%s" as a denial', (text, concept) => {
    expect(present(text)).not.toContain(concept);
    expect(negated(text)).toContain(concept);
  });

  it('ends a negation at "but" or a comma', () => {
    expect(present('no fever but heavy bleeding')).toContain('heavy_bleeding');
    expect(present('no itching, fishy smell')).toContain('fishy_odour');
  });

  it('lets an affirmation anywhere override a denial elsewhere', () => {
    const result = matchConcepts(['no fever', 'fever since last night']);
    expect(result.present).toContain('fever');
    expect(result.negated).not.toContain('fever');
  });

  it('keeps a negation cue that is part of the phrase itself', () => {
    expect(present('baby not moving since this morning')).toContain('reduced_fetal_movements');
    expect(present('a sore that will not heal')).toContain('non_healing_lesion');
  });

  it('keeps apart words that stemming would otherwise merge', () => {
    expect(present('I fainted in the shower')).toContain('syncope');
    expect(present('I feel faint')).not.toContain('syncope');
    expect(present('I feel faint')).toContain('dizziness');
    expect(present('blood pressure was normal')).not.toContain('vaginal_bleeding');
    expect(present('seeing spots in front of my eyes')).not.toContain('vaginal_bleeding');
  });

  it('does not read a word about another site or a monthly pattern as the acute finding', () => {
    expect(present('itchy skin, scratching till it bleeds')).not.toContain('vaginal_bleeding');
    expect(present('my nose bleeds a lot')).not.toContain('vaginal_bleeding');
    expect(present('bleeding since this morning')).toContain('vaginal_bleeding');
    expect(present('my periods are agony every month')).not.toContain('sudden_severe_pain');
    expect(present('sudden agony in my left side')).toContain('sudden_severe_pain');
    expect(present('periods so painful I vomit and miss work')).not.toContain('missed_period');
    expect(present('I have missed my period')).toContain('missed_period');
    expect(present('baby has hardly moved today')).toContain('reduced_fetal_movements');
    expect(present("bairn's gone awful quiet")).toContain('reduced_fetal_movements');
    expect(present('there was a really faint 2nd line')).toContain('positive_pregnancy_test');
    expect(present('there was a really faint 2nd line')).not.toContain('dizziness');
    expect(present('I feel faint')).toContain('dizziness');
    expect(present('cramps coming every 5 mins')).toContain('regular_contractions');
    expect(present('dark red blood from down there')).not.toContain('vulval_redness');
    expect(present('red and itchy down there')).toContain('vulval_redness');
    expect(present('my bump is hard as a rock and it hurts')).toContain('uterine_tenderness');
  });

  it('normalises spelling variants and inflections to one token', () => {
    expect(normalizeToken('bleeding')).toBe(normalizeToken('bled'));
    expect(normalizeToken('diarrhea')).toBe(normalizeToken('diarrhoea'));
    expect(normalizeToken('clots')).toBe(normalizeToken('clot'));
    expect(normalizeToken('spotting')).toBe('spot');
    expect(normalizeToken('vomited')).toBe(normalizeToken('vomiting'));
  });
});
