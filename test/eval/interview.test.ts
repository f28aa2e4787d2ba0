import { describe, expect, it } from 'vitest';
import { loadBlindSet, loadRegistry } from '../../eval/blind.ts';
import { patientAnswers, simulateSet } from '../../eval/interview.ts';

const sets = loadRegistry();

describe('interview simulation on the blind sets', () => {
  it('reads the simulated patient from plain statements: confirmed, denied and negated facts', () => {
    const answers = patientAnswers({
      present: ['my waters went this morning', 'no fever'],
      absent: ['I am bleeding'],
    });
    expect(answers.get('fluid_leak')).toBe('present');
    expect(answers.get('fever')).toBe('absent');
    expect(answers.get('vaginal_bleeding')).toBe('absent');
  });

  it.each(sets.map((s) => [s.id, s] as const))(
    '%s: the questions never push a benign case to emergency nor lose an emergency',
    async (_id, set) => {
      const summary = await simulateSet(loadBlindSet(set));
      expect(summary.n).toBeGreaterThan(0);
      expect(summary.benignPushedToEmergency).toEqual([]);
      expect(summary.emergenciesLost).toEqual([]);
      expect(summary.after.emergencySensitivity).toBeGreaterThanOrEqual(summary.before.emergencySensitivity);
      expect(summary.meanQuestions).toBeLessThanOrEqual(12);
    },
  );
});
