import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isKnownIcd10 } from '../../../src/domain/icd10/catalog.ts';
import { evaluateRedFlags } from '../../../src/domain/red-flags/evaluate.ts';
import { RED_FLAG_RULE_DEFINITIONS, RED_FLAG_RULES } from '../../../src/domain/red-flags/rules.ts';
import type { DiagnoseRequestInput } from '../../../src/domain/schemas/diagnose.ts';
import { request } from '../vocabulary/support.ts';

type Input = Partial<DiagnoseRequestInput> & { symptoms: string[] };
const fired = (input: Input) => evaluateRedFlags(request(input)).fired.map((r) => r.id);
const floor = (input: Input) => evaluateRedFlags(request(input)).floor;

const pregnant = (weeks?: number) => ({
  age: 29,
  pregnancy_status: 'pregnant' as const,
  ...(weeks === undefined ? {} : { gestational_weeks: weeks }),
});
const postpartum = { age: 30, pregnancy_status: 'postpartum' as const };

/** Each required rule: a case that must fire it and a negated or irrelevant one that must not. */
const CASES: { rule: string; fires: Input; quiet: Input }[] = [
  {
    rule: 'ectopic-pregnancy-signs',
    fires: { patient: pregnant(7), symptoms: ['pelvic pain', 'spotting'] },
    quiet: { patient: pregnant(7), symptoms: ['no pain', 'nausea'] },
  },
  {
    rule: 'ectopic-pregnancy-signs',
    fires: { patient: { age: 24 }, symptoms: ['missed period', 'shoulder tip pain', 'lower abdominal pain'] },
    quiet: { patient: { age: 24, pregnancy_status: 'not_pregnant' }, symptoms: ['lower abdominal pain'] },
  },
  {
    rule: 'haemodynamic-instability',
    fires: { symptoms: ['collapsed', 'lower abdominal pain'] },
    quiet: { symptoms: ['lower abdominal pain', 'never fainted'] },
  },
  {
    rule: 'haemodynamic-instability',
    fires: { symptoms: ['pelvic pain'], vitals: { systolic_bp: 85 } },
    quiet: { symptoms: ['pelvic pain'], vitals: { systolic_bp: 95, heart_rate_bpm: 110 } },
  },
  {
    rule: 'heavy-vaginal-bleeding',
    fires: { symptoms: ['soaking a pad every hour'] },
    quiet: { symptoms: ['heavy periods', 'not soaking pads'] },
  },
  {
    rule: 'heavy-vaginal-bleeding',
    fires: { symptoms: ['large clots', 'dizzy'] },
    quiet: { symptoms: ['large clots', 'no dizziness'] },
  },
  {
    rule: 'sudden-severe-pelvic-pain',
    fires: { symptoms: ['right sided pelvic pain'], onset: 'sudden', severity: 'severe' },
    quiet: { symptoms: ['right sided pelvic pain'], onset: 'gradual', severity: 'mild' },
  },
  {
    rule: 'fever-with-pelvic-pain',
    fires: { symptoms: ['pelvic pain', 'high temperature'] },
    quiet: { symptoms: ['pelvic pain', 'no fever'] },
  },
  {
    rule: 'sepsis-high-risk',
    fires: { symptoms: ['shivering', 'confused'], vitals: { respiratory_rate: 26 } },
    quiet: { symptoms: ['not confused', 'no fever'], vitals: { respiratory_rate: 16 } },
  },
  {
    rule: 'toxic-shock-signs',
    fires: { symptoms: ['using tampons', 'rash all over', 'vomiting'], vitals: { temperature_c: 39.2 } },
    quiet: { symptoms: ['using tampons', 'no rash'], vitals: { temperature_c: 36.8 } },
  },
  {
    rule: 'pre-eclampsia-features',
    fires: { patient: pregnant(32), symptoms: ['severe headache', 'blurred vision'] },
    quiet: { patient: pregnant(32), symptoms: ['no headache', 'no visual disturbance'] },
  },
  {
    rule: 'antepartum-haemorrhage',
    fires: { patient: pregnant(30), symptoms: ['vaginal bleeding'] },
    quiet: { patient: pregnant(30), symptoms: ['denies bleeding'] },
  },
  {
    rule: 'preterm-membrane-rupture',
    fires: { patient: pregnant(30), symptoms: ['waters broke'] },
    quiet: { patient: pregnant(30), symptoms: ['no leaking fluid'] },
  },
  {
    rule: 'preterm-contractions',
    fires: { patient: pregnant(31), symptoms: ['regular contractions every 5 minutes'] },
    quiet: { patient: pregnant(38), symptoms: ['regular contractions every 5 minutes'] },
  },
  {
    rule: 'reduced-fetal-movements',
    fires: { patient: pregnant(34), symptoms: ['baby moving less'] },
    quiet: { patient: pregnant(34), symptoms: ['baby moving normally', 'heartburn'] },
  },
  {
    rule: 'postpartum-haemorrhage',
    fires: { patient: postpartum, symptoms: ['heavy bleeding'] },
    quiet: { patient: postpartum, symptoms: ['no heavy bleeding', 'tired'] },
  },
  {
    rule: 'postpartum-fever',
    fires: { patient: postpartum, symptoms: ['tired'], vitals: { temperature_c: 38.4 } },
    quiet: { patient: postpartum, symptoms: ['tired', 'no fever'], vitals: { temperature_c: 37.1 } },
  },
  {
    rule: 'ohss-severe',
    fires: { symptoms: ['bloated', 'short of breath'], medical_history: ['IVF egg collection last week'] },
    quiet: { symptoms: ['bloated', 'short of breath'] },
  },
  {
    rule: 'suicidal-thoughts',
    fires: { symptoms: ['low mood', 'thoughts of suicide'] },
    quiet: { symptoms: ['low mood', 'no thoughts of self harm'] },
  },
  {
    rule: 'postmenopausal-bleeding',
    fires: { patient: { age: 62, menopausal_status: 'postmenopausal' }, symptoms: ['spotting'] },
    quiet: {
      patient: { age: 62, menopausal_status: 'postmenopausal' },
      symptoms: ['vaginal dryness', 'no bleeding'],
    },
  },
  {
    rule: 'postcoital-bleeding',
    fires: { symptoms: ['bleeding after sex'] },
    quiet: { symptoms: ['pain during sex', 'no bleeding after sex'] },
  },
  {
    rule: 'persistent-bloating-over-50',
    fires: { patient: { age: 56 }, symptoms: ['persistent bloating', 'feel full quickly'] },
    quiet: { patient: { age: 34 }, symptoms: ['bloating before my period'] },
  },
  {
    rule: 'vulval-lump-or-ulcer',
    fires: { patient: { age: 70 }, symptoms: ['vulval ulcer that will not heal'] },
    quiet: { patient: { age: 70 }, symptoms: ['vulval itch'] },
  },
];

describe('red-flag rules', () => {
  it.each(CASES)(
    '$rule fires on a positive case and not on a negated or irrelevant one',
    ({ rule, fires, quiet }) => {
      expect(fired(fires)).toContain(rule);
      expect(fired(quiet)).not.toContain(rule);
    },
  );

  it('applies pre-eclampsia rules only from 20 weeks', () => {
    const symptoms = ['severe headache', 'flashing lights'];
    expect(fired({ patient: pregnant(19), symptoms })).not.toContain('pre-eclampsia-features');
    expect(fired({ patient: pregnant(20), symptoms })).toContain('pre-eclampsia-features');
    expect(fired({ patient: { age: 29, pregnancy_status: 'not_pregnant' }, symptoms })).not.toContain(
      'pre-eclampsia-features',
    );
  });

  it('uses 160/110 for severe and 140/90 for raised blood pressure in pregnancy', () => {
    const at = (systolic_bp: number, diastolic_bp: number) =>
      fired({ patient: pregnant(30), symptoms: ['feel fine'], vitals: { systolic_bp, diastolic_bp } });
    expect(at(160, 85)).toContain('pre-eclampsia-features');
    expect(at(150, 110)).toContain('pre-eclampsia-features');
    expect(at(159, 109)).not.toContain('pre-eclampsia-features');
    expect(at(159, 109)).toContain('hypertension-in-pregnancy');
    expect(at(140, 80)).toContain('hypertension-in-pregnancy');
    expect(at(139, 89)).not.toContain('hypertension-in-pregnancy');
  });

  it('uses a pulse above 120 for shock', () => {
    expect(fired({ symptoms: ['pelvic pain'], vitals: { heart_rate_bpm: 121 } })).toContain(
      'haemodynamic-instability',
    );
    expect(fired({ symptoms: ['pelvic pain'], vitals: { heart_rate_bpm: 120 } })).not.toContain(
      'haemodynamic-instability',
    );
  });

  it('sets the floor to the most urgent fired level', () => {
    expect(floor({ symptoms: ['itchy vulva'] })).toBeNull();
    expect(floor({ symptoms: ['bleeding after sex'] })).toBe('consultation');
    expect(floor({ patient: pregnant(8), symptoms: ['pelvic pain', 'collapsed'] })).toBe(
      'emergency_ambulance',
    );
  });

  it('lists fired rules most urgent first, with their must-not-miss conditions', () => {
    const evaluation = evaluateRedFlags(
      request({ patient: pregnant(7), symptoms: ['pelvic pain', 'bleeding', 'fainted'] }),
    );
    expect(evaluation.fired[0]?.level).toBe('emergency_ambulance');
    const ectopic = evaluation.fired.find((r) => r.id === 'ectopic-pregnancy-signs');
    expect(ectopic?.mustNotMiss.map((m) => m.icd10)).toContain('O00.90');
  });

  it('never treats a pregnancy symptom as a red flag when the patient is not pregnant', () => {
    expect(
      fired({ patient: { age: 30, pregnancy_status: 'not_pregnant' }, symptoms: ['vaginal bleeding'] }),
    ).toEqual([]);
  });
});

describe('rule catalogue', () => {
  it('gives every rule an id, description, level and guideline source, ids unique', () => {
    const ids = RED_FLAG_RULE_DEFINITIONS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of RED_FLAG_RULE_DEFINITIONS) {
      expect(rule.description.length).toBeGreaterThan(10);
      expect(rule.source).toMatch(/NICE|RCOG|ACOG|WHO|BASHH|UKHSA|CDC/);
      expect(rule.when.length).toBeGreaterThan(0);
    }
  });

  it('names only catalog ICD-10 codes as must-not-miss', () => {
    for (const rule of RED_FLAG_RULE_DEFINITIONS) {
      for (const miss of rule.mustNotMiss)
        expect(isKnownIcd10(miss.icd10), `${rule.id}: ${miss.icd10}`).toBe(true);
    }
  });

  it('is documented rule by rule, with the level it sets, in docs/red-flags.md', () => {
    const doc = readFileSync(new URL('../../../docs/red-flags.md', import.meta.url), 'utf8');
    const rows = new Map(
      [...doc.matchAll(/^\| `([a-z0-9-]+)` +\| ([a-z_0-9]+) +\|/gm)].map((m) => [m[1], m[2]] as const),
    );
    expect(new Set(rows.keys())).toEqual(new Set(RED_FLAG_RULE_DEFINITIONS.map((r) => r.id)));
    for (const rule of RED_FLAG_RULE_DEFINITIONS) expect(rows.get(rule.id), rule.id).toBe(rule.level);
  });

  it('exposes a public listing without trigger internals', () => {
    expect(RED_FLAG_RULES).toHaveLength(RED_FLAG_RULE_DEFINITIONS.length);
    for (const rule of RED_FLAG_RULES) {
      expect(Object.keys(rule).sort()).toEqual(['description', 'id', 'level', 'must_not_miss', 'source']);
    }
  });
});
