import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BLIND_DIR,
  belowFloor,
  loadBlindSet,
  loadRegistry,
  scoreBlindSet,
  sha256,
} from '../../eval/blind.ts';

const sets = loadRegistry();

describe('blind vignette sets', () => {
  it('at least one blind set is frozen', () => {
    expect(sets.length).toBeGreaterThan(0);
  });

  it.each(sets.map((s) => [s.id, s] as const))('%s is unchanged since it was frozen', (_id, set) => {
    expect(sha256(join(BLIND_DIR, set.file))).toBe(set.sha256);
  });

  it.each(sets.map((s) => [s.id, s] as const))(
    '%s scores at or above its recorded floor',
    async (_id, set) => {
      const current = await scoreBlindSet(loadBlindSet(set));
      expect(belowFloor(current, set.floor)).toEqual([]);
    },
  );

  it('a drop on any metric counts as below the floor, over-triage counting when it rises', () => {
    const floor = {
      n: 100,
      emergencies: 25,
      benign: 15,
      top1: 0.7,
      top3: 0.85,
      emergencySensitivity: 1,
      benignOverTriage: 0.1,
      overTriage: 0.05,
    };
    expect(belowFloor(floor, floor)).toEqual([]);
    expect(belowFloor({ ...floor, top1: 0.69, emergencySensitivity: 0.96 }, floor)).toEqual([
      'top1',
      'emergencySensitivity',
    ]);
    expect(belowFloor({ ...floor, benignOverTriage: 0.2, top3: 0.9 }, floor)).toEqual(['benignOverTriage']);
  });
});
