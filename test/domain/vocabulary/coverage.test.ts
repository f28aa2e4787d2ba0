import { describe, expect, it } from 'vitest';
import { MAX_PHRASE_CHARS, MAX_UNRECOGNIZED } from '../../../src/domain/vocabulary/coverage.ts';
import { extractFindings } from '../../../src/domain/vocabulary/findings.ts';
import { matchConcepts } from '../../../src/domain/vocabulary/matcher.ts';
import { request } from './support.ts';

const understanding = (...texts: string[]) => matchConcepts(texts).understanding;

describe('coverage and unrecognized phrases', () => {
  it('is complete when every phrase maps to a finding', () => {
    expect(understanding('heavy bleeding', 'shoulder tip pain')).toMatchObject({
      coverage: 1,
      unrecognized: [],
    });
  });

  it('lists the phrase it could not map, as written, and lowers coverage', () => {
    const u = understanding('Weird lumps on my bum and a fishy smell');
    expect(u.unrecognized).toEqual(['Weird lumps on my bum']);
    expect(u.coverage).toBeGreaterThan(0);
    expect(u.coverage).toBeLessThan(1);
  });

  it('does not count time, worry or filler words as missed', () => {
    expect(understanding('since yesterday morning', 'really worried, please help')).toMatchObject({
      coverage: 1,
      unrecognized: [],
    });
  });

  it('counts a denial or a normal result of something it knows as read', () => {
    expect(understanding('no pain', 'baby moving normally').unrecognized).toEqual([]);
  });

  it('measures symptoms and notes, not history, medicines or allergies', () => {
    const f = extractFindings(
      request({
        symptoms: ['itchy down there'],
        notes: 'my cat sneezes',
        medical_history: ['asthma'],
        medications: ['salbutamol'],
        allergies: ['penicillin'],
      }),
    );
    expect(f.understanding.unrecognized).toEqual(['cat sneezes']);
  });

  it('bounds the list and the length of each phrase', () => {
    const words = Array.from({ length: 40 }, (_, i) => `zorble${i} quux`);
    const u = understanding(words.join(', '), `${'quixotic '.repeat(40)}`);
    expect(u.unrecognized).toHaveLength(MAX_UNRECOGNIZED);
    expect(understanding('quixotic '.repeat(40)).unrecognized[0]!.length).toBeLessThanOrEqual(
      MAX_PHRASE_CHARS,
    );
  });
});
