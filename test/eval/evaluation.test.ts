import { describe, expect, it } from 'vitest';
import { evaluate, rate, TARGETS } from '../../eval/evaluate.ts';
import { loadVignettes } from '../../eval/vignettes.ts';
import { CONDITIONS } from '../../src/domain/knowledge-base/catalog.ts';

describe('clinical vignette evaluation', () => {
  const vignettes = loadVignettes();

  it('has at least 80 vignettes covering every knowledge-base condition, each citing a source', () => {
    expect(vignettes.length).toBeGreaterThanOrEqual(80);
    const gold = new Set(vignettes.map((v) => v.gold.icd10));
    expect(CONDITIONS.map((c) => c.icd10).filter((code) => !gold.has(code))).toEqual([]);
    for (const v of vignettes)
      expect(v.source, v.id).toMatch(/NICE|RCOG|ACOG|WHO|BASHH|UKHSA|NHS|British|International/);
  });

  it('meets the targets: no emergency under-triage, top-3 ≥ 85%, top-1 ≥ 65%', async () => {
    const report = await evaluate(vignettes);
    const missed = report.results.filter((r) => r.emergency && r.underTriage).map((r) => r.id);
    expect(missed).toEqual([]);
    expect(report.emergencyUnderTriage).toBe(TARGETS.emergencyUnderTriage);
    expect(rate(report.overall.top3, report.overall.n)).toBeGreaterThanOrEqual(TARGETS.top3);
    expect(rate(report.overall.top1, report.overall.n)).toBeGreaterThanOrEqual(TARGETS.top1);
    expect(report.meetsTargets).toBe(true);
  });
});
