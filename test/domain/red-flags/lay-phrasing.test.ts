import { describe, expect, it } from 'vitest';
import { describeRuleCases, fired, floor, type RuleCase } from './support.ts';

/**
 * The rules added after the review in docs/red-flags.md, each in a clinician's words and in a
 * patient's, and each kept quiet by a denial or by the wrong context.
 */

const pregnant = (weeks?: number) => ({
  age: 29,
  pregnancy_status: 'pregnant' as const,
  ...(weeks === undefined ? {} : { gestational_weeks: weeks }),
});
const postpartum = { age: 30, pregnancy_status: 'postpartum' as const };
const notPregnant = { age: 30, pregnancy_status: 'not_pregnant' as const };
const unknown = { age: 27 };

const RULES: readonly RuleCase[] = [
  {
    rule: 'cord-prolapse',
    level: 'emergency_ambulance',
    fires: [
      { patient: pregnant(39), symptoms: ['umbilical cord prolapse'] },
      {
        patient: pregnant(38),
        symptoms: ['my waters went', 'something hanging down there after my waters went'],
      },
      { patient: pregnant(36), symptoms: ['waters broke', 'I can feel the cord'] },
      { patient: unknown, symptoms: ['my waters have gone and I can feel something in my vagina'] },
      { patient: pregnant(), symptoms: ['I can see the cord coming out'] },
    ],
    quiet: [
      // Something felt in the vagina without broken waters is a prolapse question, not a cord.
      { patient: notPregnant, symptoms: ['something hanging down there', 'dragging feeling'] },
      {
        patient: pregnant(38),
        symptoms: ['waters broke', 'nothing hanging down', 'contractions every 10 minutes'],
      },
      { patient: pregnant(39), symptoms: ['waters broke', 'no cord seen or felt'] },
    ],
  },
  {
    rule: 'preterm-membrane-rupture',
    level: 'emergency',
    fires: [
      { patient: pregnant(30), symptoms: ['rupture of membranes'] },
      { patient: pregnant(32), symptoms: ['feeling wet down there all day'] },
      { patient: pregnant(33), symptoms: ['sudden gush of water from my vagina'] },
      { patient: pregnant(34), symptoms: ['leaking fluid since this morning'] },
      { patient: pregnant(31), symptoms: ['my waters went last night'] },
      { patient: pregnant(33), symptoms: ['fluid running down my legs'] },
      { patient: pregnant(33), symptoms: ['wet patch on the bed when I woke up, still trickling'] },
      // Gestation unknown: possibly preterm, so the rule fires.
      { patient: pregnant(), symptoms: ['I think my waters broke'] },
      // Status not given, but only a pregnant woman has waters to break.
      { patient: unknown, symptoms: ['my waters broke an hour ago'] },
      { patient: unknown, symptoms: ["I'm 34 weeks pregnant and leaking fluid"] },
    ],
    quiet: [
      { patient: pregnant(32), symptoms: ["my waters haven't broken", 'backache'] },
      { patient: pregnant(32), symptoms: ['no leaking fluid', 'heartburn'] },
      { patient: pregnant(38), symptoms: ['waters broke'] },
      { patient: notPregnant, symptoms: ['feeling wet down there', 'white discharge'] },
      { patient: unknown, symptoms: ['feeling wet down there', 'white discharge'] },
    ],
  },
  {
    rule: 'membrane-rupture-malpresentation',
    level: 'emergency',
    fires: [
      { patient: pregnant(39), symptoms: ['waters broke'], medical_history: ['baby is breech'] },
      { patient: pregnant(38), symptoms: ['leaking fluid'], notes: 'last scan said transverse lie' },
      { patient: pregnant(40), symptoms: ['my waters went, baby lying sideways'] },
    ],
    quiet: [
      { patient: pregnant(39), symptoms: ['waters broke'], medical_history: ['baby head down'] },
      { patient: pregnant(36), symptoms: ['baby is breech', 'no leaking fluid'] },
    ],
  },
  {
    rule: 'meconium-stained-waters',
    level: 'emergency',
    fires: [
      { patient: pregnant(40), symptoms: ['waters broke', 'fluid is green'] },
      { patient: pregnant(41), symptoms: ['brown waters'] },
    ],
    quiet: [{ patient: pregnant(40), symptoms: ['waters broke', 'fluid clear, not green or brown'] }],
  },
  {
    rule: 'imminent-birth',
    level: 'emergency_ambulance',
    fires: [
      { patient: pregnant(39), symptoms: ['contractions every 2 minutes', 'urge to push'] },
      { patient: pregnant(), symptoms: ["I can see the baby's head"] },
    ],
    quiet: [{ patient: pregnant(39), symptoms: ['contractions every 10 minutes', 'no urge to push'] }],
  },
  {
    rule: 'reduced-fetal-movements',
    level: 'emergency',
    fires: [
      { patient: pregnant(34), symptoms: ['reduced fetal movements'] },
      { patient: pregnant(33), symptoms: ["baby hasn't moved much today"] },
      { patient: pregnant(36), symptoms: ["baby's been quiet since yesterday"] },
      { patient: pregnant(30), symptoms: ["haven't felt the baby kick today"] },
      { patient: pregnant(), symptoms: ['baby stopped kicking'] },
      { patient: pregnant(33), symptoms: ["haven't felt her move since last night"] },
      { patient: pregnant(33), symptoms: ['kicks have slowed down a lot'] },
      { patient: unknown, symptoms: ["baby isn't moving as much as usual"] },
    ],
    quiet: [
      { patient: pregnant(33), symptoms: ['baby moving fine', 'heartburn'] },
      { patient: pregnant(33), symptoms: ['baby moving normally'] },
      // RCOG Green-top 57 applies from 24 weeks.
      { patient: pregnant(20), symptoms: ['baby moving less'] },
    ],
  },
  {
    rule: 'seizure-pregnancy-or-postpartum',
    level: 'emergency_ambulance',
    fires: [
      { patient: pregnant(35), symptoms: ['seizure'] },
      { patient: pregnant(35), symptoms: ['had a fit'] },
      { patient: postpartum, symptoms: ['she had a fit this morning'] },
      { patient: postpartum, symptoms: ['convulsions'] },
      { patient: unknown, symptoms: ['shaking and jerking, then unconscious'] },
      { patient: pregnant(36), symptoms: ["my partner says I was shaking all over and didn't respond"] },
      { patient: pregnant(36), symptoms: ['she was fitting'] },
    ],
    quiet: [
      { patient: pregnant(35), symptoms: ['fit and well', 'heartburn'] },
      { patient: pregnant(35), symptoms: ['no seizures'] },
      { patient: pregnant(30), symptoms: ['coil fitted last year'] },
      { patient: notPregnant, symptoms: ['coil fitting appointment next week'] },
      { patient: pregnant(30), symptoms: ['clothes not fitting any more'] },
      { patient: pregnant(30), symptoms: ['coughing fits'] },
      { patient: pregnant(30), symptoms: ['history of pre-eclampsia'] },
    ],
  },
  {
    rule: 'suicidal-thoughts',
    level: 'emergency',
    fires: [
      { patient: postpartum, symptoms: ['thoughts of suicide'] },
      { patient: postpartum, symptoms: ["I've been saving up tablets to take them all"] },
      { patient: postpartum, symptoms: ['I have a plan to kill myself'] },
      { patient: postpartum, symptoms: ['took an overdose last night'] },
      { patient: postpartum, symptoms: ['thoughts of harming my baby'] },
    ],
    quiet: [
      { patient: postpartum, symptoms: ['low mood', 'no thoughts of self harm'] },
      { patient: postpartum, symptoms: ['made a birth plan', 'tired'] },
    ],
  },
  {
    rule: 'passive-death-wish',
    level: 'consultation_24',
    fires: [
      { patient: postpartum, symptoms: ['I keep thinking everyone would be better off without me'] },
      { patient: postpartum, symptoms: ["I go to sleep hoping I won't wake up"] },
      { patient: postpartum, symptoms: ['sometimes I wish I could just not be there anymore'] },
      { patient: pregnant(20), symptoms: ['better off dead'] },
      { patient: unknown, symptoms: ['no point living'] },
      { patient: postpartum, symptoms: ['I feel like a burden to everyone'] },
      { patient: postpartum, symptoms: ['I want to disappear'] },
    ],
    quiet: [
      { patient: postpartum, symptoms: ['tired', 'baby wakes up every two hours'] },
      { patient: postpartum, symptoms: ['no thoughts of death or self harm'] },
      { patient: pregnant(20), symptoms: ["I wish I wasn't so tired"] },
    ],
  },
  {
    rule: 'postpartum-psychosis',
    level: 'emergency',
    fires: [
      { patient: postpartum, symptoms: ['hallucinations'] },
      { patient: postpartum, symptoms: ["haven't slept for days", 'talking nonstop'] },
      { patient: postpartum, symptoms: ['she thinks the baby is not mine and was swapped'] },
      { patient: postpartum, symptoms: ['hearing things', 'confused'] },
      { patient: unknown, symptoms: ['gave birth 2 weeks ago', 'seems manic'] },
      { patient: postpartum, symptoms: ['she says God is talking to her'] },
      { patient: postpartum, symptoms: ['she thinks people are spying on her and the baby'] },
    ],
    quiet: [
      { patient: postpartum, symptoms: ['not bonding with my baby', 'tearful'] },
      { patient: pregnant(30), symptoms: ['trouble sleeping'] },
    ],
  },
  {
    rule: 'suspected-placental-abruption',
    level: 'emergency',
    fires: [
      { patient: pregnant(32), symptoms: ['bump is rock hard and tender'] },
      { patient: pregnant(28), symptoms: ['fell down the stairs onto my bump'] },
      { patient: pregnant(30), symptoms: ['car accident this morning', 'feel fine'] },
    ],
    quiet: [
      { patient: pregnant(32), symptoms: ['bump going hard every now and then', 'settles when I rest'] },
      { patient: pregnant(12), symptoms: ['car accident this morning'] },
    ],
  },
  {
    rule: 'early-pregnancy-heavy-bleeding',
    level: 'emergency',
    fires: [
      { patient: pregnant(9), symptoms: ['heavy bleeding with clots'] },
      { patient: pregnant(11), symptoms: ['bleeding a lot and passing large clots'] },
      { patient: unknown, symptoms: ['period is 3 weeks late', 'now bleeding heavily'] },
    ],
    quiet: [
      { patient: pregnant(9), symptoms: ['light spotting', 'no heavy bleeding'] },
      { patient: notPregnant, symptoms: ['heavy periods'] },
    ],
  },
  {
    rule: 'fever-in-pregnancy',
    level: 'consultation_24',
    fires: [{ patient: pregnant(25), symptoms: ['cough', 'shivering'], vitals: { temperature_c: 38.3 } }],
    quiet: [{ patient: notPregnant, symptoms: ['cough'], vitals: { temperature_c: 38.3 } }],
  },
  {
    rule: 'fever-with-broken-waters',
    level: 'emergency',
    fires: [{ patient: pregnant(39), symptoms: ['waters went yesterday', 'high temperature'] }],
    quiet: [{ patient: pregnant(39), symptoms: ['waters went yesterday', 'no fever'] }],
  },
  {
    rule: 'pregnancy-chest-or-leg-symptoms',
    level: 'emergency',
    fires: [
      { patient: postpartum, symptoms: ['my left leg is swollen and red'] },
      { patient: pregnant(30), symptoms: ['coughing up blood'] },
      { patient: postpartum, symptoms: ['one leg bigger than the other'] },
    ],
    quiet: [
      // Swelling of both legs late in pregnancy is common; the rule wants one leg.
      { patient: pregnant(34), symptoms: ['swollen legs and ankles in the evening'] },
      { patient: pregnant(30), symptoms: ['no leg swelling'] },
    ],
  },
  {
    rule: 'pregnancy-heart-failure-signs',
    level: 'emergency',
    fires: [
      { patient: pregnant(36), symptoms: ["can't lie flat without getting breathless"] },
      { patient: postpartum, symptoms: ['waking up gasping for air'] },
    ],
    quiet: [{ patient: notPregnant, symptoms: ["can't lie flat without getting breathless"] }],
  },
  {
    rule: 'thunderclap-headache',
    level: 'emergency',
    fires: [
      { symptoms: ['worst headache of my life'] },
      { patient: postpartum, symptoms: ['sudden severe headache'] },
      { symptoms: ['bad headache'], onset: 'sudden' },
    ],
    quiet: [
      { symptoms: ['mild headache before my period'] },
      { symptoms: ['bad headache'], onset: 'gradual' },
    ],
  },
];

describeRuleCases('rules added by the red-flag review', RULES);

describe('rules added by the red-flag review: beyond the table', () => {
  it('keeps passive thoughts at a 24-hour assessment outside pregnancy and raises a plan to an emergency', () => {
    const adult = { age: 52, pregnancy_status: 'not_pregnant' as const };
    expect(floor({ patient: adult, symptoms: ['everyone would be better off without me'] })).toBe(
      'consultation_24',
    );
    expect(
      floor({
        patient: adult,
        symptoms: ['everyone would be better off without me', "I've been stockpiling pills"],
      }),
    ).toBe('emergency');
  });

  it('raises passive thoughts after birth to a same-day emergency (NICE CG192, MBRRACE-UK red flags)', () => {
    expect(floor({ patient: postpartum, symptoms: ['everyone would be better off without me'] })).toBe(
      'emergency',
    );
    expect(fired({ patient: postpartum, symptoms: ['everyone would be better off without me'] })).toContain(
      'perinatal-death-wish',
    );
  });

  it('sends term rupture of membranes to the maternity unit today, not to a 999 call', () => {
    expect(floor({ patient: pregnant(39), symptoms: ['my waters broke, clear fluid'] })).toBe('emergency');
  });
});
