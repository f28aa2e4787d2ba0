import type { RedFlagRule } from '../types.ts';
import {
  TORSION,
  APPENDICITIS,
  PID,
  TOA,
  SEPSIS,
  PAIN,
  INFECTION_SIGNS,
  BLEEDING,
  SHOCK_SIGNS,
} from './shared.ts';

/**
 * Any patient: shock, heavy bleeding, acute pelvic pain, infection and sepsis, the spine, urinary
 * infection in higher-risk groups, sudden headache.
 */
export const GENERAL_RULES: readonly RedFlagRule[] = [
  {
    id: 'haemodynamic-instability',
    description:
      'Signs of shock: fainting or collapse with pain, bleeding or pregnancy, a pulse above 120 or a systolic blood pressure below 90',
    level: 'emergency_ambulance',
    when: [
      {
        vitals: [
          { vital: 'systolic_bp', op: '<', value: 90 },
          { vital: 'heart_rate_bpm', op: '>', value: 120 },
        ],
      },
      { allOf: ['syncope'], anyOf: [[...PAIN, ...BLEEDING, 'shoulder_tip_pain']] },
      { allOf: ['syncope'], pregnancy: ['pregnant', 'postpartum'] },
    ],
    mustNotMiss: [],
    source:
      'NICE CKS: Ectopic pregnancy (signs of shock); RCOG Green-top Guideline No. 52: Postpartum haemorrhage',
  },
  {
    id: 'heavy-vaginal-bleeding',
    description:
      'Very heavy bleeding: soaking a pad an hour, or heavy bleeding or large clots with dizziness, fainting or a fast pulse',
    level: 'emergency',
    when: [
      // A long-standing pattern of heavy days is heavy periods, seen routinely (NICE NG88); acute
      // heavy bleeding, or heavy bleeding with shock signs, still fires.
      { allOf: ['soaking_pad_hourly'], noneOf: ['onset_chronic'] },
      { allOf: ['large_clots'], anyOf: [SHOCK_SIGNS] },
      { allOf: ['heavy_bleeding'], anyOf: [SHOCK_SIGNS] },
    ],
    mustNotMiss: [],
    source: 'NICE NG88: Heavy menstrual bleeding; NICE CKS: Menorrhagia (acute heavy bleeding)',
  },
  {
    id: 'sudden-severe-pelvic-pain',
    description:
      'Sudden severe pelvic or abdominal pain, which may be ovarian torsion or another surgical emergency',
    level: 'emergency',
    when: [
      { onset: 'sudden', severity: 'severe', anyOf: [PAIN] },
      // Not when the pain is long-standing ("crippling period pain for years"): that is not sudden.
      { allOf: ['sudden_severe_pain'], noneOf: ['onset_chronic'] },
      { onset: 'sudden', allOf: ['vomiting'], anyOf: [['pelvic_pain', 'unilateral_pain']] },
    ],
    mustNotMiss: [TORSION, APPENDICITIS],
    source:
      'RCOG Green-top Guideline No. 62: Ovarian masses in premenopausal women (adnexal torsion); NICE CKS: Appendicitis',
  },
  {
    id: 'fever-with-pelvic-pain',
    description: 'Fever with pelvic or lower abdominal pain: possible severe pelvic infection or abscess',
    level: 'emergency',
    when: [
      { allOf: ['fever'], anyOf: [['pelvic_pain', 'abdominal_pain', 'uterine_tenderness']] },
      // One-sided pain with a red, sore breast is the breast (mastitis), not the pelvis.
      { allOf: ['fever', 'unilateral_pain'], noneOf: ['breast_redness', 'breast_pain', 'breast_lump'] },
    ],
    mustNotMiss: [PID, TOA],
    source:
      'BASHH UK national guideline: Pelvic inflammatory disease (2019); NICE CKS: Pelvic inflammatory disease',
  },
  {
    id: 'sepsis-high-risk',
    description:
      'Possible sepsis: signs of infection with confusion, mottled skin, low blood pressure, pulse above 120, fast breathing or low oxygen',
    level: 'emergency_ambulance',
    when: [
      {
        anyOf: [
          INFECTION_SIGNS,
          ['confusion', 'mottled_skin', 'hypotension', 'severe_tachycardia', 'tachypnoea', 'hypoxia'],
        ],
      },
    ],
    mustNotMiss: [SEPSIS],
    source: 'NICE NG51: Sepsis: recognition, diagnosis and early management (high-risk criteria)',
  },
  {
    id: 'sepsis-moderate-risk',
    description:
      'Fever or shivering with a pulse above 100 or feeling very unwell: needs same-hour assessment for sepsis',
    level: 'emergency',
    when: [{ anyOf: [INFECTION_SIGNS, ['tachycardia', 'feel_very_unwell']] }],
    mustNotMiss: [SEPSIS],
    source: 'NICE NG51: Sepsis: recognition, diagnosis and early management (moderate-to-high-risk criteria)',
  },
  {
    id: 'toxic-shock-syndrome',
    description:
      'Tampon or cup use with fever and a sunburn-like rash, low blood pressure or fainting: toxic shock',
    level: 'emergency_ambulance',
    when: [
      { allOf: ['fever', 'rash'], anyOf: [['tampon_use', 'forgotten_tampon']] },
      {
        allOf: ['fever'],
        anyOf: [
          ['tampon_use', 'forgotten_tampon'],
          ['hypotension', 'syncope', 'confusion', 'mottled_skin'],
        ],
      },
    ],
    mustNotMiss: [{ icd10: 'A48.3', condition: 'Toxic shock syndrome' }],
    source: 'NHS: Toxic shock syndrome (call 999); UKHSA / CDC toxic shock syndrome case definition',
  },
  {
    id: 'toxic-shock-signs',
    description:
      'Tampon or menstrual cup use with fever and rash, vomiting, diarrhoea, dizziness or confusion: possible toxic shock syndrome',
    level: 'emergency',
    when: [
      {
        allOf: ['fever'],
        anyOf: [
          ['tampon_use', 'forgotten_tampon'],
          ['rash', 'vomiting', 'diarrhoea', 'dizziness', 'syncope', 'flu_like', 'confusion', 'hypotension'],
        ],
      },
      { allOf: ['forgotten_tampon'], anyOf: [['fever', 'rash', 'feel_very_unwell']] },
    ],
    mustNotMiss: [{ icd10: 'A48.3', condition: 'Toxic shock syndrome' }],
    source: 'UKHSA / NHS: Toxic shock syndrome; CDC toxic shock syndrome case definition',
  },
  {
    id: 'cauda-equina-signs',
    description:
      'Numbness between the legs, or back pain with new bladder or bowel loss: possible cauda equina syndrome',
    level: 'emergency',
    when: [
      { allOf: ['saddle_anaesthesia'] },
      {
        anyOf: [
          ['back_pain', 'leg_nerve_symptoms'],
          ['urinary_retention', 'bowel_incontinence'],
        ],
      },
    ],
    mustNotMiss: [{ icd10: 'G83.4', condition: 'Cauda equina syndrome' }],
    source:
      'NICE CKS: Sciatica (lumbar radiculopathy) and Back pain - low without radiculopathy (red flags: cauda equina syndrome)',
  },
  {
    id: 'uti-higher-risk',
    description: 'Urine infection at 65 or over or in pregnancy: urine culture and treatment within a day',
    level: 'consultation_24',
    when: [
      // Frequency and urgency alone are also overactive bladder, so they need cloudy urine or confusion too.
      { age: { min: 65 }, allOf: ['dysuria'] },
      {
        age: { min: 65 },
        allOf: ['cloudy_urine'],
        anyOf: [['urinary_frequency', 'urgency', 'polydipsia_polyuria', 'confusion']],
      },
      // Frequency is normal in pregnancy: pain passing urine is the sign.
      { pregnancy: ['pregnant'], allOf: ['dysuria'] },
    ],
    // The knowledge base lists cystitis and pyelonephritis; the rule only sets how soon.
    mustNotMiss: [],
    source:
      'NICE NG109: Urinary tract infection (lower): antimicrobial prescribing (pregnant women and women over 65); NICE CKS: Urinary tract infection (lower) - women',
  },
  {
    id: 'thunderclap-headache',
    description:
      'A sudden, very severe headache (the worst ever, at its peak within minutes): possible bleed or clot in the brain',
    level: 'emergency',
    when: [{ allOf: ['thunderclap_headache'] }, { onset: 'sudden', allOf: ['severe_headache'] }],
    mustNotMiss: [],
    source:
      'NICE CKS: Headache - assessment (red flags); NICE NG133: Hypertension in pregnancy (postpartum headache)',
  },
];
