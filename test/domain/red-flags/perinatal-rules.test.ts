import { describe, expect, it } from 'vitest';
import { describeRuleCases, fired, type RuleCase } from './support.ts';

/**
 * The perinatal rules of the second review (docs/red-flags.md): each fires on a patient's wording
 * and stays quiet on the benign look-alike it must not be confused with.
 */

const pregnant = (weeks: number) => ({
  age: 30,
  pregnancy_status: 'pregnant' as const,
  gestational_weeks: weeks,
});
const postpartum = { age: 29, pregnancy_status: 'postpartum' as const };

const CASES: readonly RuleCase[] = [
  {
    rule: 'severe-pre-eclampsia-neurological',
    level: 'emergency_ambulance',
    fires: [
      {
        patient: pregnant(34),
        symptoms: ['worst headache ever', 'zigzag lines in my eyes'],
        vitals: { systolic_bp: 170, diastolic_bp: 110 },
      },
      { patient: postpartum, symptoms: ['blurry vision'], vitals: { systolic_bp: 162, diastolic_bp: 100 } },
    ],
    quiet: [
      // Severe blood pressure without the warning symptoms stays at the emergency level of pre-eclampsia-features.
      {
        patient: pregnant(34),
        symptoms: ['ankles swollen'],
        vitals: { systolic_bp: 165, diastolic_bp: 100 },
      },
      { patient: pregnant(34), symptoms: ['headache'], vitals: { systolic_bp: 128, diastolic_bp: 80 } },
    ],
  },
  {
    rule: 'abruption-or-heavy-bleeding-with-shock',
    level: 'emergency_ambulance',
    fires: [
      { patient: pregnant(31), symptoms: ['bump rock hard and sore all the time', 'bleeding dark red'] },
      { patient: pregnant(28), symptoms: ['soaking a pad every hour', 'fainted in the kitchen'] },
    ],
    quiet: [
      { patient: pregnant(33), symptoms: ['tummy goes hard every now and then', 'no bleeding'] },
      { patient: pregnant(30), symptoms: ['spotting after sex'] },
    ],
  },
  {
    rule: 'postpartum-haemorrhage-collapse',
    level: 'emergency_ambulance',
    fires: [
      { patient: postpartum, symptoms: ['blood everywhere', 'she passed out'] },
      { patient: postpartum, symptoms: ['baby born an hour ago at home', 'bleeding heavily'] },
    ],
    quiet: [
      { patient: postpartum, symptoms: ['still bleeding two weeks after birth', 'brownish pink now'] },
      { patient: postpartum, symptoms: ['bleeding a bit heavier today'], notes: 'no dizziness, no fainting' },
    ],
  },
  {
    rule: 'pulmonary-embolism-signs',
    level: 'emergency_ambulance',
    fires: [
      { patient: postpartum, symptoms: ['out of breath', 'coughing up blood'] },
      { patient: pregnant(30), symptoms: ['chest pain'], vitals: { oxygen_saturation: 91 } },
    ],
    quiet: [{ patient: pregnant(36), symptoms: ['bit breathless on the stairs'] }],
  },
  {
    rule: 'toxic-shock-syndrome',
    level: 'emergency_ambulance',
    fires: [
      {
        patient: { age: 18 },
        symptoms: ['high temperature', 'rash like sunburn all over'],
        notes: 'on my period using tampons',
      },
    ],
    quiet: [{ patient: { age: 18 }, symptoms: ['period pain'], notes: 'using tampons' }],
  },
  {
    rule: 'hyperemesis-dehydration',
    level: 'emergency',
    fires: [
      { patient: pregnant(9), symptoms: ["can't keep any fluids down", 'hardly weeing and it is dark'] },
    ],
    quiet: [{ patient: pregnant(9), symptoms: ['feel sick in the mornings', 'drinking fine'] }],
  },
  {
    rule: 'term-membrane-rupture',
    level: 'emergency',
    fires: [{ patient: pregnant(40), symptoms: ['my waters went this morning'] }],
    quiet: [
      { patient: pregnant(40), symptoms: ['more discharge than usual'], notes: 'waters have not broken' },
    ],
  },
  {
    rule: 'perinatal-death-wish',
    level: 'emergency',
    fires: [
      { patient: postpartum, symptoms: ['my family would be better off without me'] },
      { patient: pregnant(20), symptoms: ["I don't want to be alive"] },
    ],
    quiet: [
      {
        patient: postpartum,
        symptoms: ['crying at everything', 'feel overwhelmed'],
        duration: 'day 4 after birth',
      },
      { patient: { age: 45, pregnancy_status: 'not_pregnant' }, symptoms: ['family better off without me'] },
    ],
  },
  {
    rule: 'suicidal-thoughts',
    level: 'emergency',
    fires: [
      { patient: postpartum, symptoms: ['keep thinking about hurting him when he cries'] },
      { patient: { age: 50 }, symptoms: ['been thinking about ending things'] },
      { patient: { age: 33 }, symptoms: ['looked up how many tablets it would take'] },
      { patient: { age: 41 }, symptoms: ['I have a plan to take all my pills'] },
    ],
    quiet: [{ patient: { age: 70 }, symptoms: ['worse at the end of the day'] }],
  },
  {
    rule: 'postpartum-psychosis',
    level: 'emergency',
    fires: [
      {
        patient: postpartum,
        symptoms: ['her thoughts are racing'],
        notes:
          'Her partner here. Since the birth she says the midwives switched our baby and the neighbours are listening through the walls.',
      },
      {
        patient: postpartum,
        symptoms: ['not slept for three nights'],
        medical_history: ['bipolar disorder'],
      },
    ],
    quiet: [
      {
        patient: postpartum,
        symptoms: ['tired, baby feeds every two hours'],
        medical_history: ['bipolar disorder'],
      },
      { patient: postpartum, symptoms: ['cannot sleep', 'tearful'] },
      { patient: postpartum, symptoms: ['not slept for three nights'] },
    ],
  },
  {
    rule: 'ectopic-pregnancy-signs',
    level: 'emergency',
    fires: [{ patient: { age: 16 }, symptoms: ['pain on one side of my tummy', 'spotting', 'feel faint'] }],
    quiet: [
      { patient: { age: 16, pregnancy_status: 'not_pregnant' }, symptoms: ['period pain', 'feel faint'] },
    ],
  },
];

describeRuleCases('perinatal red flags (second review)', CASES);

describe('perinatal red flags (second review): beyond the table', () => {
  it('treats fever with a red, sore breast as mastitis, but not fever with pelvic pain after birth', () => {
    const mastitis = {
      patient: postpartum,
      symptoms: ['red hot painful patch on my left breast', 'shivery'],
      vitals: { temperature_c: 38.4 },
    };
    expect(fired(mastitis)).not.toContain('postpartum-fever');
    expect(fired(mastitis)).not.toContain('fever-with-pelvic-pain');
    const endometritis = { ...mastitis, symptoms: [...mastitis.symptoms, 'lower tummy pain'] };
    expect(fired(endometritis)).toContain('postpartum-fever');
  });
});
