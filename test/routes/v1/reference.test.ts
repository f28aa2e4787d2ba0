import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isKnownIcd10 } from '../../../src/domain/icd10/catalog.ts';
import { TRIAGE_LEVELS } from '../../../src/domain/triage.ts';
import { startTestApp, type TestApp } from '../../support/app.ts';

describe('reference routes', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.app.close());

  it('lists every red-flag rule with its level, must-not-miss conditions and guideline source, without auth', async () => {
    const res = await t.app.inject('/v1/red-flags');
    expect(res.statusCode).toBe(200);
    const { rules } = res.json();
    expect(rules.length).toBeGreaterThanOrEqual(15);
    const ids = new Set(rules.map((r: { id: string }) => r.id));
    expect(ids.size).toBe(rules.length);
    for (const rule of rules) {
      expect(TRIAGE_LEVELS).toContain(rule.level);
      expect(rule.source).toMatch(/NICE|RCOG|ACOG|WHO|FSRH|BASHH|BNF|UKHSA|CDC/);
      for (const miss of rule.must_not_miss) expect(isKnownIcd10(miss.icd10)).toBe(true);
    }
    expect(res.headers['cache-control']).toBe('public, max-age=300');
  });

  it('lists the rules the red-flag review added, with their levels and sources', async () => {
    const { rules } = (await t.app.inject('/v1/red-flags')).json();
    const byId = new Map(rules.map((r: { id: string }) => [r.id, r]));
    expect(byId.get('cord-prolapse')).toMatchObject({
      level: 'emergency_ambulance',
      source: expect.stringContaining('RCOG Green-top Guideline No. 50'),
    });
    expect(byId.get('seizure-pregnancy-or-postpartum')).toMatchObject({ level: 'emergency_ambulance' });
    expect(byId.get('membrane-rupture-malpresentation')).toMatchObject({ level: 'emergency' });
    expect(byId.get('passive-death-wish')).toMatchObject({
      level: 'consultation_24',
      source: expect.stringContaining('NICE CG192'),
    });
  });

  it('lists the condition catalog with catalog ICD-10 codes', async () => {
    const res = await t.app.inject('/v1/conditions');
    expect(res.statusCode).toBe(200);
    const { conditions } = res.json();
    expect(conditions.length).toBeGreaterThanOrEqual(50);
    for (const c of conditions) {
      expect(isKnownIcd10(c.icd10)).toBe(true);
      expect(TRIAGE_LEVELS).toContain(c.default_triage);
      expect(c.lay_name.length).toBeGreaterThan(0);
    }
    expect(conditions.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(/ectopic/i), expect.stringMatching(/candidiasis/i)]),
    );
  });

  it('keeps diagnosis answers out of caches', async () => {
    const res = await t.app.inject('/health/live');
    expect(res.headers['cache-control']).toBe('no-store');
  });
});
