import type { RedFlagRule } from '../types.ts';
import { SHOCK_SIGNS } from './shared.ts';

/** After birth, and clots or heart failure in pregnancy or after birth. */
export const POSTPARTUM_RULES: readonly RedFlagRule[] = [
  {
    id: 'postpartum-haemorrhage',
    description:
      'After birth: heavy bleeding, large clots, or bleeding with dizziness, fainting or a fast pulse',
    level: 'emergency',
    when: [
      { pregnancy: ['postpartum'], anyOf: [['heavy_bleeding', 'soaking_pad_hourly', 'large_clots']] },
      { pregnancy: ['postpartum'], anyOf: [['vaginal_bleeding'], SHOCK_SIGNS] },
    ],
    mustNotMiss: [{ icd10: 'O72.2', condition: 'Postpartum haemorrhage' }],
    source: 'RCOG Green-top Guideline No. 52: Postpartum haemorrhage',
  },
  {
    id: 'postpartum-haemorrhage-collapse',
    description:
      'After birth: bleeding with fainting, confusion, grey skin or low blood pressure, or heavy bleeding within hours of birth',
    level: 'emergency_ambulance',
    when: [
      {
        pregnancy: ['postpartum'],
        anyOf: [
          ['heavy_bleeding', 'soaking_pad_hourly', 'large_clots', 'vaginal_bleeding'],
          ['syncope', 'hypotension', 'confusion', 'pallor', 'mottled_skin'],
        ],
      },
      {
        pregnancy: ['postpartum'],
        allOf: ['birth_within_hours'],
        anyOf: [['heavy_bleeding', 'soaking_pad_hourly', 'large_clots']],
      },
    ],
    mustNotMiss: [{ icd10: 'O72.1', condition: 'Immediate postpartum haemorrhage' }],
    source: 'RCOG Green-top Guideline No. 52: Postpartum haemorrhage (major haemorrhage, signs of shock)',
  },
  {
    id: 'postpartum-fever',
    description:
      'Fever or shivering after birth: possible infection of the womb, wound or breast that can progress to sepsis',
    level: 'emergency',
    when: [
      // Mastitis with fever alone is treated within 24 hours (NICE CKS); any sign beyond the breast keeps this rule.
      { pregnancy: ['postpartum'], anyOf: [['fever', 'rigors']], noneOf: ['breast_redness'] },
      {
        pregnancy: ['postpartum'],
        anyOf: [
          ['fever', 'rigors'],
          [
            'offensive_discharge',
            'pelvic_pain',
            'abdominal_pain',
            'vaginal_bleeding',
            'severe_tachycardia',
            'hypotension',
            'tachypnoea',
            'confusion',
            'feel_very_unwell',
            'mottled_skin',
          ],
        ],
      },
    ],
    mustNotMiss: [
      { icd10: 'O85', condition: 'Puerperal sepsis' },
      { icd10: 'O86.12', condition: 'Postpartum endometritis' },
    ],
    source: 'RCOG Green-top Guideline No. 64b: Bacterial sepsis following pregnancy',
  },
  {
    id: 'pregnancy-chest-or-leg-symptoms',
    description:
      'Pregnant or after birth with chest pain, one painful or swollen leg, coughing up blood, low oxygen, or breathlessness with a fast pulse: possible blood clot',
    level: 'emergency',
    when: [
      {
        pregnancy: ['pregnant', 'postpartum'],
        anyOf: [['chest_pain', 'calf_pain', 'unilateral_leg_swelling', 'haemoptysis', 'hypoxia']],
      },
      {
        pregnancy: ['pregnant', 'postpartum'],
        allOf: ['breathlessness'],
        anyOf: [['tachycardia', 'tachypnoea', 'syncope']],
      },
    ],
    mustNotMiss: [{ icd10: 'O88.23', condition: 'Venous thromboembolism (pregnancy or after birth)' }],
    source: 'RCOG Green-top Guideline No. 37b: Thromboembolic disease in pregnancy and the puerperium',
  },
  {
    id: 'pulmonary-embolism-signs',
    description:
      'Pregnant or after birth: breathless or chest pain with coughing blood, low oxygen, fainting or a racing pulse',
    level: 'emergency_ambulance',
    when: [
      {
        pregnancy: ['pregnant', 'postpartum'],
        anyOf: [
          ['breathlessness', 'chest_pain'],
          ['haemoptysis', 'hypoxia', 'syncope', 'hypotension', 'severe_tachycardia'],
        ],
      },
    ],
    mustNotMiss: [{ icd10: 'O88.23', condition: 'Venous thromboembolism (pregnancy or after birth)' }],
    source:
      'RCOG Green-top Guideline No. 37b: Thromboembolic disease in pregnancy and the puerperium (acute management)',
  },
  {
    id: 'pregnancy-heart-failure-signs',
    description:
      'Pregnant or after birth and breathless lying flat or at rest, or waking up gasping: possible heart failure (peripartum cardiomyopathy)',
    level: 'emergency',
    when: [{ pregnancy: ['pregnant', 'postpartum'], allOf: ['orthopnoea'] }],
    mustNotMiss: [{ icd10: 'O90.3', condition: 'Peripartum cardiomyopathy' }],
    source: 'ACOG Practice Bulletin 212: Pregnancy and heart disease (red flags)',
  },
];
