import { describe, expect, it } from 'vitest';
import { loadVignettes } from '../../../eval/vignettes.ts';
import { OUTPUT_LIMITS as L, boundAssessment } from '../../../src/domain/diagnosis/bound.ts';
import { KnowledgeBaseProvider } from '../../../src/domain/providers/knowledge-base-provider.ts';
import type { Assessment } from '../../../src/domain/providers/types.ts';

const bytes = (s: string) => Buffer.byteLength(JSON.stringify(s)) - 2;

describe('boundAssessment', () => {
  it('caps counts and lengths and keeps only plain, non-empty lines', () => {
    const long = 'word '.repeat(500);
    const bounded = boundAssessment({
      triageLevel: 'consultation',
      triageRationale: long,
      differential: [
        {
          condition: 'x',
          icd10: 'N94.6',
          probability: 0.5,
          rationale: long,
          supporting_findings: [
            '<b></b>',
            'cramps',
            'cramps',
            ...Array.from({ length: 50 }, (_, i) => `f${i}`),
          ],
          recommended_investigations: Array.from({ length: 50 }, (_, i) => `test ${i}`),
        },
      ],
      investigations: Array.from({ length: 50 }, (_, i) => ({
        name: `i${i}`,
        priority: 'low',
        reason: long,
      })),
      advice: ['https://x.example', ...Array.from({ length: 50 }, (_, i) => `${i} ${long}`)],
    });
    expect(bytes(bounded.triageRationale)).toBeLessThanOrEqual(L.triageRationaleBytes);
    const item = bounded.differential[0]!;
    expect(bytes(item.rationale)).toBeLessThanOrEqual(L.itemRationaleBytes);
    expect(item.supporting_findings.slice(0, 2)).toEqual(['cramps', 'f0']); // empty and duplicate lines gone
    expect(item.supporting_findings).toHaveLength(L.findingsPerItem);
    expect(item.recommended_investigations).toHaveLength(L.investigationsPerItem);
    expect(bounded.investigations).toHaveLength(L.investigations);
    expect(bounded.advice).toHaveLength(L.advice);
    for (const line of bounded.advice) expect(bytes(line)).toBeLessThanOrEqual(L.adviceBytes);
  });

  it('the knowledge base, which it is not applied to, already keeps within every cap', async () => {
    const kb = new KnowledgeBaseProvider();
    const within = (a: Assessment) =>
      bytes(a.triageRationale) <= L.triageRationaleBytes &&
      a.investigations.length <= L.investigations &&
      a.advice.length <= L.advice &&
      a.advice.every((line) => bytes(line) <= L.adviceBytes) &&
      a.differential.every(
        (d) =>
          bytes(d.rationale) <= L.itemRationaleBytes &&
          d.supporting_findings.length <= L.findingsPerItem &&
          d.recommended_investigations.length <= L.investigationsPerItem,
      );
    for (const v of loadVignettes())
      expect(within((await kb.diagnose(v.request)).assessment), v.id).toBe(true);
  });
});
