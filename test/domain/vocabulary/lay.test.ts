import { describe, expect, it } from 'vitest';
import { LAY_PHRASES } from '../../../src/domain/vocabulary/lay-phrases.ts';
import { layWord } from '../../../src/domain/vocabulary/lay-words.ts';
import { matchConcepts, normalizeToken } from '../../../src/domain/vocabulary/matcher.ts';
import { tokenizeSegments } from '../../../src/domain/vocabulary/normalize.ts';

const present = (...texts: string[]) => matchConcepts(texts).present;

describe('lay language', () => {
  it.each([
    ['my waters went this morning', 'fluid_leak'],
    ['keep feeling wet down there', 'fluid_leak'],
    ['stinky discharge', 'offensive_discharge'],
    ['discharge like cottage cheese', 'thick_white_discharge'],
    ['burning when I wee', 'dysuria'],
    ['it stings when i pee', 'dysuria'],
    ['period is super late', 'missed_period'],
    ['bleeding like a period', 'vaginal_bleeding'],
    ['itchy down there', 'genital_itch'],
    ['baby hasnt kicked since yesterday', 'reduced_fetal_movements'],
    ['pain in my lower tummy', 'pelvic_pain'],
    ['my boob is red and hot', 'breast_redness'],
    ['might be preggo', 'possible_pregnancy'],
    ['feel shivery and hot', 'rigors'],
    ['pressure in my pelvis', 'pelvic_pressure'],
  ])('recognises "%s" as %s', (text, concept) => {
    expect(present(text)).toContain(concept);
  });

  it('folds British and American spellings onto one form', () => {
    for (const [uk, us] of [
      ['haemorrhage', 'hemorrhage'],
      ['oedema', 'edema'],
      ['gonorrhoea', 'gonorrhea'],
      ['labour', 'labor'],
      ['agonising', 'agonizing'],
      ['foetal', 'fetal'],
      ['caesarean', 'cesarean'],
    ]) {
      expect(normalizeToken(uk!)).toBe(normalizeToken(us!));
    }
  });

  it('maps slang and common misspellings word by word, without touching other words', () => {
    expect(layWord('preggo')).toBe('pregnant');
    expect(layWord('knickers')).toBe('underwear');
    expect(layWord('virgina')).toBe('vagina');
    expect(layWord('bleeding')).toBe('bleeding');
    expect(layWord('hours')).toBe('hours');
  });

  it('keeps at least two words of every multi-word phrase, so none collapses to one common word', () => {
    const collapsed = Object.entries(LAY_PHRASES).flatMap(([id, phrases]) =>
      phrases
        .filter((p) => p.split(/\s+/).length > 1 && tokenizeSegments(p).flat().length < 2)
        .map((p) => `${id}: ${p}`),
    );
    expect(collapsed).toEqual([]);
  });
});

describe('typo tolerance', () => {
  it.each([
    ['heavy bleading since this morning', 'heavy_bleeding'],
    ['smelly dischrage', 'offensive_discharge'],
    ['vomitting everything, cant keep fluids down', 'persistent_vomiting'],
    ['shoulder tip pian', 'shoulder_tip_pain'],
    ['sudden severe abdominl pain', 'sudden_severe_pain'],
  ])('recognises "%s" as %s', (text, concept) => {
    expect(present(text)).toContain(concept);
  });

  it('never corrects a correctly spelt English word into a clinical one', () => {
    expect(present('went camping at the weekend')).not.toContain('cramping');
    expect(present('we breed dogs')).not.toContain('vaginal_bleeding');
  });

  it('never corrects short words', () => {
    expect(present('no fevr')).not.toContain('fever');
  });
});
