import type { RedFlagRule } from '../types.ts';

/** Fertility treatment and the suspected-cancer pathways. */
export const GYNAECOLOGY_RULES: readonly RedFlagRule[] = [
  {
    id: 'ohss-severe',
    description:
      'After fertility treatment: breathlessness, low oxygen or passing little urine, which suggest severe ovarian hyperstimulation',
    level: 'emergency',
    when: [
      {
        allOf: ['fertility_treatment'],
        anyOf: [['breathlessness', 'hypoxia', 'tachypnoea', 'reduced_urine']],
      },
    ],
    mustNotMiss: [{ icd10: 'N98.1', condition: 'Ovarian hyperstimulation syndrome' }],
    source: 'RCOG Green-top Guideline No. 5: Ovarian hyperstimulation syndrome',
  },
  {
    id: 'ohss-possible',
    description: 'After fertility treatment: abdominal pain, bloating, vomiting or rapid weight gain',
    level: 'consultation_24',
    when: [
      {
        allOf: ['fertility_treatment'],
        anyOf: [['bloating', 'abdominal_pain', 'pelvic_pain', 'rapid_weight_gain', 'vomiting']],
      },
    ],
    mustNotMiss: [{ icd10: 'N98.1', condition: 'Ovarian hyperstimulation syndrome' }],
    source: 'RCOG Green-top Guideline No. 5: Ovarian hyperstimulation syndrome',
  },
  {
    id: 'postmenopausal-bleeding',
    description:
      'Bleeding after the menopause: needs referral on a suspected cancer pathway, never self-care',
    level: 'consultation',
    when: [{ allOf: ['postmenopausal_bleeding'] }],
    mustNotMiss: [{ icd10: 'C54.1', condition: 'Endometrial cancer' }],
    source: 'NICE NG12: Suspected cancer: recognition and referral (endometrial cancer)',
  },
  {
    id: 'postcoital-bleeding',
    description: 'Bleeding after sex: needs an examination of the cervix',
    level: 'consultation',
    when: [{ allOf: ['postcoital_bleeding'] }],
    mustNotMiss: [{ icd10: 'C53.9', condition: 'Cervical cancer' }],
    source: 'NICE NG12: Suspected cancer: recognition and referral (cervical cancer)',
  },
  {
    id: 'persistent-bloating-over-50',
    description:
      'Aged 50 or over with persistent bloating or early fullness, or a pelvic mass at any age: test for ovarian cancer',
    level: 'consultation',
    when: [
      {
        age: { min: 50 },
        anyOf: [
          ['bloating', 'loss_of_appetite'],
          ['persistent_symptoms', 'onset_chronic'],
        ],
      },
      { allOf: ['pelvic_mass'], pregnancy: ['not_pregnant', 'possibly_pregnant'] },
      { allOf: ['pelvic_mass'], menopause: 'postmenopausal' },
    ],
    mustNotMiss: [{ icd10: 'C56.9', condition: 'Ovarian cancer' }],
    source: 'NICE NG12: Suspected cancer and NICE CG122: Ovarian cancer (recognition and initial management)',
  },
  {
    id: 'vulval-lump-or-ulcer',
    description: 'A vulval lump or sore that does not heal, or a new vulval lump at 50 or over',
    level: 'consultation',
    when: [
      { allOf: ['non_healing_lesion'], anyOf: [['vulval_lump', 'genital_ulcer', 'white_patches']] },
      { age: { min: 50 }, allOf: ['vulval_lump'] },
      { allOf: ['genital_ulcer', 'persistent_symptoms'] },
    ],
    mustNotMiss: [{ icd10: 'C51.9', condition: 'Vulval cancer' }],
    source: 'NICE NG12: Suspected cancer: recognition and referral (vulval cancer)',
  },
];
