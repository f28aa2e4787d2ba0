import { describe, expect, it } from 'vitest';
import { isKnownIcd10 } from '../../../src/domain/icd10/catalog.ts';
import { CONDITIONS, listConditions } from '../../../src/domain/knowledge-base/catalog.ts';
import {
  deniedWeight,
  diagnoseFromFindings,
  MAX_INVESTIGATIONS,
  NO_EVIDENCE_PENALTY,
  scoreConditions,
} from '../../../src/domain/knowledge-base/score.ts';
import { KnowledgeBaseProvider } from '../../../src/domain/providers/knowledge-base-provider.ts';
import { DifferentialItem } from '../../../src/domain/schemas/diagnose.ts';
import { SELF_CARE_MIN_COVERAGE } from '../../../src/domain/vocabulary/coverage.ts';
import { extractFindings } from '../../../src/domain/vocabulary/findings.ts';
import { request } from '../vocabulary/support.ts';

const REQUIRED = [
  'B37.31',
  'N76.0',
  'A59.01',
  'A56.09',
  'A54.03',
  'A60.04',
  'A63.0',
  'N73.9',
  'N70.03',
  'N75.1',
  'N30.00',
  'N10',
  'A48.3',
  'Z34.91',
  'O00.90',
  'O20.0',
  'O03.4',
  'O01.9',
  'O21.1',
  'O14.90',
  'O45.90',
  'O44.10',
  'O60.00',
  'O42.919',
  'O24.419',
  'O26.619',
  'O36.8190',
  'O72.2',
  'O86.12',
  'O91.22',
  'F53.0',
  'N94.4',
  'N94.3',
  'N92.0',
  'N91.1',
  'N94.0',
  'E28.2',
  'E28.310',
  'D25.9',
  'N80.03',
  'N80.9',
  'N83.209',
  'N83.519',
  'N81.9',
  'N39.3',
  'N39.41',
  'N95.1',
  'N95.2',
  'N95.0',
  'C54.1',
  'C53.9',
  'C56.9',
  'C51.9',
  'L90.0',
  'N94.819',
  'N76.2',
  'N98.1',
  'T19.2XXA',
  'K35.80',
];

const SAMPLES = [
  request({
    patient: { age: 29, pregnancy_status: 'pregnant', gestational_weeks: 7 },
    symptoms: ['pelvic pain', 'spotting'],
  }),
  request({ symptoms: ['itchy vulva', 'thick white discharge'] }),
  request({ patient: { age: 60 }, symptoms: ['bloating every day', 'feel full quickly'] }),
  request({ symptoms: ['feeling generally off'] }),
];

describe('knowledge-base catalogue', () => {
  it('has at least 50 conditions, each with a catalog ICD-10 code, unique, and a guideline source', () => {
    expect(CONDITIONS.length).toBeGreaterThanOrEqual(50);
    const codes = CONDITIONS.map((c) => c.icd10);
    expect(new Set(codes).size).toBe(codes.length);
    for (const c of CONDITIONS) {
      expect(isKnownIcd10(c.icd10), `${c.name}: ${c.icd10}`).toBe(true);
      expect(c.source, c.name).toMatch(/NICE|RCOG|ACOG|WHO|BASHH|UKHSA|NHS|British|International|ESHRE|CDC/);
      expect(c.prior, c.name).toBeGreaterThan(0);
      expect(Object.keys(c.findings).length, c.name).toBeGreaterThan(0);
      expect(c.layName.length, c.name).toBeGreaterThan(0);
    }
  });

  it('includes every condition the issue requires', () => {
    const codes = new Set(CONDITIONS.map((c) => c.icd10));
    expect(REQUIRED.filter((code) => !codes.has(code))).toEqual([]);
  });

  it('lists conditions for GET /v1/conditions', () => {
    const listing = listConditions();
    expect(listing).toHaveLength(CONDITIONS.length);
    expect(listing[0]).toEqual(
      expect.objectContaining({
        name: expect.any(String),
        icd10: expect.any(String),
        lay_name: expect.any(String),
      }),
    );
    expect(listing.find((c) => c.icd10 === 'O00.90')?.default_triage).toBe('emergency');
  });
});

describe('knowledge-base scoring', () => {
  it.each(SAMPLES.map((s, i) => [i, s] as const))(
    'sample %i: schema-valid, sorted, bounded and explained',
    (_i, req) => {
      const answer = diagnoseFromFindings(extractFindings(req));
      const items = answer.differential;
      expect(items.length).toBeGreaterThanOrEqual(1);
      expect(items.length).toBeLessThanOrEqual(10);
      for (const item of items) expect(DifferentialItem.safeParse(item).success).toBe(true);
      for (let i = 1; i < items.length; i++)
        expect(items[i]!.probability).toBeLessThanOrEqual(items[i - 1]!.probability);
      expect(items.reduce((sum, d) => sum + d.probability, 0)).toBeLessThanOrEqual(1);
      for (const item of items) expect(item.rationale.length).toBeGreaterThan(10);
      expect(answer.investigations.length).toBeLessThanOrEqual(MAX_INVESTIGATIONS);
      const names = answer.investigations.map((i) => i.name.toLowerCase());
      expect(new Set(names).size).toBe(names.length);
    },
  );

  it('scores every condition by the documented formula, whichever findings a request names', () => {
    const cases = [
      ...SAMPLES,
      request({ symptoms: ['white discharge', 'no itching', 'no fever', 'no bleeding'] }),
      request({
        patient: { age: 29, pregnancy_status: 'pregnant', gestational_weeks: 7 },
        symptoms: ['one sided pelvic pain', 'shoulder tip pain', 'no vaginal bleeding'],
      }),
    ];
    for (const req of cases) {
      const findings = extractFindings(req);
      const scored = scoreConditions(findings);
      for (const condition of CONDITIONS) {
        // The formula written out plainly from the catalogue: log(prior × context) + present weights + denials.
        let multiplier = 1;
        for (const [id, w] of Object.entries(condition.context ?? {}))
          if (findings.present.has(id as never)) multiplier *= w!;
        const hit = scored.find((s) => s.condition === condition);
        if (multiplier <= 0) {
          expect(hit, condition.name).toBeUndefined();
          continue;
        }
        const present = Object.entries(condition.findings).filter(([id]) =>
          findings.present.has(id as never),
        );
        const denied = [
          ...new Set([...Object.keys(condition.denied ?? {}), ...Object.keys(condition.findings)]),
        ]
          .filter((id) => findings.negated.has(id as never))
          .map((id) => deniedWeight(condition, id as never));
        const supporting = present.filter(([, w]) => w! > 0);
        const expected =
          Math.log(condition.prior * multiplier) +
          present.reduce((sum, [, w]) => sum + w!, 0) +
          denied.reduce((sum, w) => sum + w, 0) +
          (supporting.length === 0 ? NO_EVIDENCE_PENALTY : 0);
        expect(hit!.score, condition.name).toBeCloseTo(expected, 10);
        expect([...hit!.supporting].sort()).toEqual(supporting.map(([id]) => id).sort());
        const weights = hit!.supporting.map((id) => condition.findings[id]!);
        expect(weights).toEqual([...weights].sort((a, b) => b - a));
      }
    }
  });

  it('ranks by probability, equal probabilities by name, and turns scores into a softmax', () => {
    const cases = [
      ...SAMPLES,
      // Nothing recognised: scores are the priors alone, so many conditions tie and the name decides.
      request({ symptoms: ['feeling odd'] }),
      request({ symptoms: ['white discharge', 'no itching', 'no fever', 'no bleeding'] }),
    ];
    let ties = 0;
    for (const req of cases) {
      const scored = scoreConditions(extractFindings(req));
      const inCatalogueOrder = [...scored].sort((a, b) => a.index - b.index);
      const top = Math.max(...scored.map((s) => s.score));
      const total = inCatalogueOrder.reduce((sum, s) => sum + Math.exp(s.score - top), 0);
      for (const s of scored) {
        expect(s.condition).toBe(CONDITIONS[s.index]);
        expect(s.weight).toBe(Math.exp(s.score - top));
        expect(s.probability).toBe(Math.exp(s.score - top) / total);
      }
      // The reference order: catalogue order, then a stable sort by probability and name.
      const expected = inCatalogueOrder.sort(
        (a, b) => b.probability - a.probability || a.condition.name.localeCompare(b.condition.name),
      );
      expect(scored.map((s) => s.condition.name)).toEqual(expected.map((s) => s.condition.name));
      ties += scored.filter((s, i) => i > 0 && s.probability === scored[i - 1]!.probability).length;
    }
    expect(ties).toBeGreaterThan(5);
  });

  it('lists the human labels of the findings that support each item', () => {
    const answer = diagnoseFromFindings(extractFindings(SAMPLES[1]!));
    const top = answer.differential[0]!;
    expect(top.icd10).toBe('B37.31');
    expect(top.supporting_findings).toEqual(
      expect.arrayContaining(['thick white (cottage-cheese) discharge', 'vulval or vaginal itch']),
    );
  });

  it('is deterministic', () => {
    for (const req of SAMPLES) {
      const a = diagnoseFromFindings(extractFindings(req));
      const b = diagnoseFromFindings(extractFindings(req));
      expect(b).toEqual(a);
    }
  });

  it('rules out conditions impossible in the patient context', () => {
    const man = scoreConditions(
      extractFindings(
        request({ patient: { age: 30, pregnancy_status: 'not_pregnant' }, symptoms: ['pelvic pain'] }),
      ),
    );
    expect(man.map((s) => s.condition.icd10)).not.toContain('O14.90');
    const pregnant = scoreConditions(
      extractFindings(
        request({
          patient: { age: 30, pregnancy_status: 'pregnant', gestational_weeks: 30 },
          symptoms: ['pelvic pain'],
        }),
      ),
    );
    expect(pregnant.map((s) => s.condition.icd10)).not.toContain('N94.4');
  });

  it('lets a denied finding count against a condition', () => {
    const itchy = scoreConditions(extractFindings(request({ symptoms: ['white discharge', 'itching'] })));
    const notItchy = scoreConditions(
      extractFindings(request({ symptoms: ['white discharge', 'no itching'] })),
    );
    const p = (list: typeof itchy) => list.find((s) => s.condition.icd10 === 'B37.31')!.probability;
    expect(p(notItchy)).toBeLessThan(p(itchy));
  });

  it('raises triage to the most urgent condition carrying substantial probability', () => {
    const answer = diagnoseFromFindings(
      extractFindings(
        request({
          patient: { age: 29, pregnancy_status: 'pregnant', gestational_weeks: 7 },
          symptoms: ['one sided pelvic pain', 'shoulder tip pain'],
        }),
      ),
    );
    expect(answer.differential[0]!.icd10).toBe('O00.90');
    expect(answer.triageLevel).toBe('emergency');
  });
});

describe('knowledge base and text it did not understand', () => {
  const periodPain = {
    patient: { age: 17, pregnancy_status: 'not_pregnant' as const },
    symptoms: ['period pain since my first period', 'cramps low down on day 1'],
    severity: 'mild' as const,
  };

  it('advises self-care when the whole description was understood', () => {
    const answer = diagnoseFromFindings(extractFindings(request(periodPain)));
    expect(answer.triageLevel).toBe('self_care');
  });

  it('never advises self-care when a substantial part was not understood, and says why', () => {
    const findings = extractFindings(
      request({
        ...periodPain,
        symptoms: [...periodPain.symptoms, 'strange flickering in my toes', 'my left elbow clicks at night'],
      }),
    );
    expect(findings.understanding.coverage).toBeLessThan(SELF_CARE_MIN_COVERAGE);
    const answer = diagnoseFromFindings(findings);
    expect(answer.differential[0]!.icd10).toBe('N94.4');
    expect(answer.triageLevel).toBe('consultation');
    expect(answer.triageRationale).toMatch(/could be matched to known findings.*self-care/);
  });
});

describe('KnowledgeBaseProvider', () => {
  it('answers offline as the knowledge base, without a model or token usage', async () => {
    const provider = new KnowledgeBaseProvider();
    expect(provider.name).toBe('knowledge-base');
    expect(provider.model).toBeNull();
    expect(provider.isUsable()).toBe(true);
    const result = await provider.diagnose(SAMPLES[0]!);
    expect(result).toEqual(expect.objectContaining({ provider: 'knowledge-base', model: null, usage: null }));
    expect(result.assessment.differential.length).toBeGreaterThan(0);
    expect(result.assessment.advice.length).toBeLessThanOrEqual(5);
  });
});
