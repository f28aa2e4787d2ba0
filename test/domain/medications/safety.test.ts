import { describe, expect, it } from 'vitest';
import { DRUG_CLASSES } from '../../../src/domain/medications/drugs.ts';
import {
  assessMedicationSafety,
  mentionsAny,
  selfCareMedications,
  withoutExcludedDrugs,
  type MedicationContext,
} from '../../../src/domain/medications/safety.ts';

const ctx = (over: Partial<MedicationContext> = {}): MedicationContext => ({
  age: 25,
  pregnancy: 'not_pregnant',
  allergies: [],
  conditions: [],
  currentMedications: [],
  ...over,
});
const names = (meds: Array<{ name: string }>) => meds.map((m) => m.name);

describe('medication safety', () => {
  it('a penicillin allergy excludes every penicillin, lists them, warns about cephalosporins and offers alternatives', () => {
    const s = assessMedicationSafety(ctx({ allergies: ['Penicillin (rash)'] }));
    expect(s.allergicMedications).toEqual(['Penicillin (rash)']);
    expect(s.contraindicatedDrugs).toEqual(
      expect.arrayContaining(['amoxicillin', 'co-amoxiclav', 'flucloxacillin', 'phenoxymethylpenicillin']),
    );
    for (const drug of ['amoxicillin', 'co-amoxiclav', 'pivmecillinam'])
      expect(s.excluded.get(drug)).toMatch(/allergy/);
    expect(s.safetyWarnings.join(' ')).toMatch(/cephalosporins .*cross-react/i);
    expect(s.safeAlternatives.join(' ')).toMatch(/clarithromycin/i);
    expect(s.safeAlternatives.join(' ')).not.toMatch(/amoxicillin/i);
  });

  it('recognises brand names and members as the class: Augmentin, amoxicillin, "sulfa drugs", Bactrim', () => {
    expect(assessMedicationSafety(ctx({ allergies: ['augmentin'] })).excluded.has('amoxicillin')).toBe(true);
    expect(assessMedicationSafety(ctx({ allergies: ['amoxicillin'] })).excluded.has('benzylpenicillin')).toBe(
      true,
    );
    const sulfa = assessMedicationSafety(ctx({ allergies: ['sulfa drugs', 'Bactrim'] }));
    expect(sulfa.contraindicatedDrugs).toContain('co-trimoxazole');
    expect(sulfa.safeAlternatives.join(' ')).toMatch(/nitrofurantoin/i);
  });

  it('an aspirin allergy excludes all NSAIDs and leaves paracetamol', () => {
    const s = assessMedicationSafety(ctx({ allergies: ['aspirin'] }));
    for (const drug of ['ibuprofen', 'naproxen', 'mefenamic acid']) expect(s.excluded.has(drug)).toBe(true);
    const meds = selfCareMedications('N94.4', 'self_care', ctx(), s).medications;
    expect(names(meds)).toEqual(['Paracetamol']);
  });

  it('an allergy to two classes drops alternatives that are themselves excluded', () => {
    const s = assessMedicationSafety(ctx({ allergies: ['macrolides', 'penicillin'] }));
    expect(s.safeAlternatives.join(' ')).not.toMatch(/clarithromycin|amoxicillin/i);
    expect(s.safeAlternatives.join(' ')).toMatch(/doxycycline/i);
  });

  it('ignores "none"/"NKDA" answers and flags unknown drug allergies without treating foods as drugs', () => {
    expect(assessMedicationSafety(ctx({ allergies: ['none', 'NKDA', ''] })).allergicMedications).toEqual([]);
    const s = assessMedicationSafety(ctx({ allergies: ['codeine', 'peanuts'] }));
    expect(s.contraindicatedDrugs).toEqual(['codeine']);
    expect(s.safetyWarnings.join(' ')).toMatch(/"codeine" is not in this service's drug list/);
  });

  it('pregnancy excludes NSAIDs, tetracyclines and oral fluconazole, and suggests paracetamol for pain', () => {
    const s = assessMedicationSafety(ctx({ pregnancy: 'pregnant' }));
    for (const drug of ['ibuprofen', 'naproxen', 'doxycycline', 'fluconazole'])
      expect(s.excluded.get(drug)).toBe('pregnancy');
    expect(s.conditionInteractions.join(' ')).toMatch(/third trimester/);
    expect(
      names(selfCareMedications('N94.0', 'consultation', ctx({ pregnancy: 'pregnant' }), s).medications),
    ).toEqual(['Paracetamol']);
    const thrush = selfCareMedications('B37.31', 'self_care', ctx({ pregnancy: 'pregnant' }), s).medications;
    expect(names(thrush)).toEqual(['Clotrimazole 500 mg vaginal pessary']);
    expect(thrush[0]?.notes).toMatch(/midwife/);
  });

  it('unknown pregnancy keeps NSAIDs but says not to take them if pregnant', () => {
    const s = assessMedicationSafety(ctx({ pregnancy: 'unknown' }));
    const [ibuprofen] = selfCareMedications(
      'N94.4',
      'self_care',
      ctx({ pregnancy: 'unknown' }),
      s,
    ).medications;
    expect(ibuprofen?.name).toBe('Ibuprofen');
    expect(ibuprofen?.notes).toMatch(/could be pregnant/);
  });

  it('excludes NSAIDs with an anticoagulant, a stomach ulcer, kidney disease or heart failure', () => {
    for (const over of [
      { currentMedications: ['Apixaban 5 mg'] },
      { conditions: ['peptic ulcer 2019'] },
      { conditions: ['chronic kidney disease'] },
      { conditions: ['heart failure'] },
    ]) {
      const s = assessMedicationSafety(ctx(over));
      expect(s.excluded.has('ibuprofen')).toBe(true);
      expect(s.conditionInteractions.length).toBeGreaterThan(0);
    }
    expect(assessMedicationSafety(ctx({ conditions: ['asthma'] })).conditionInteractions.join(' ')).toMatch(
      /bronchospasm/,
    );
  });

  it('suggests nothing for urgent triage, unknown conditions, under-16s, or what is already taken', () => {
    const s = assessMedicationSafety(ctx());
    expect(selfCareMedications('N94.4', 'consultation_24', ctx(), s).medications).toEqual([]);
    expect(selfCareMedications('N94.4', 'emergency', ctx(), s).medications).toEqual([]);
    expect(selfCareMedications('N76.0', 'self_care', ctx(), s).medications).toEqual([]); // BV: prescription only
    expect(selfCareMedications('N94.4', 'self_care', ctx({ age: 14 }), s).notes.join(' ')).toMatch(
      /under age 16/,
    );
    const taking = selfCareMedications(
      'N94.4',
      'self_care',
      ctx({ currentMedications: ['ibuprofen 400mg'] }),
      s,
    );
    expect(names(taking.medications)).toEqual(['Paracetamol']);
    expect(names(selfCareMedications('B37.31', 'self_care', ctx({ age: 65 }), s).medications)).toEqual([
      'Clotrimazole 500 mg vaginal pessary',
    ]);
  });

  it('never names a drug outside its own table as a self-care medicine', () => {
    const known = new Set(DRUG_CLASSES.flatMap((c) => c.members));
    const s = assessMedicationSafety(ctx());
    for (const code of ['N94.4', 'N94.6', 'N94.0', 'N30.00', 'B37.31']) {
      for (const m of selfCareMedications(code, 'self_care', ctx(), s).medications) {
        expect([...known].some((drug) => mentionsAny(m.name, [drug]))).toBe(true);
      }
    }
  });

  it('removes advice lines naming an excluded drug or class', () => {
    const s = assessMedicationSafety(ctx({ allergies: ['NSAIDs'] }));
    const { kept, dropped } = withoutExcludedDrugs(
      ['Take ibuprofen with food.', 'Use a hot water bottle.', 'NSAIDs help.'],
      s,
    );
    expect(kept).toEqual(['Use a hot water bottle.']);
    expect(dropped).toBe(2);
  });

  it('matches whole words only', () => {
    expect(mentionsAny('co-amoxiclav 625mg', ['co-amoxiclav'])).toBe(true);
    expect(mentionsAny('aspirinated', ['aspirin'])).toBe(false);
  });
});
