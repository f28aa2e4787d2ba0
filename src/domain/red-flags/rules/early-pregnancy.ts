import type { RedFlagRule } from '../types.ts';
import { ECTOPIC, PAIN, BLEEDING } from './shared.ts';

/** Pregnancy before 20 weeks, or a woman who may be pregnant. */
export const EARLY_PREGNANCY_RULES: readonly RedFlagRule[] = [
  {
    id: 'ectopic-pregnancy-signs',
    description:
      'Possible ectopic pregnancy: pregnant or possibly pregnant with abdominal or pelvic pain, shoulder-tip pain or fainting',
    level: 'emergency',
    when: [
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { below: 14 },
        anyOf: [[...PAIN, 'shoulder_tip_pain', 'syncope']],
      },
      {
        pregnancy: ['possibly_pregnant'],
        anyOf: [
          ['missed_period', 'possible_pregnancy'],
          [...PAIN, ...BLEEDING, 'cramping', 'shoulder_tip_pain', 'syncope', 'dizziness'],
        ],
      },
      { pregnancy: ['possibly_pregnant'], anyOf: [['shoulder_tip_pain', 'syncope'], PAIN] },
      // Status unknown, no period mentioned: pain with bleeding and feeling faint is an ectopic until a test says otherwise.
      { pregnancy: ['possibly_pregnant'], anyOf: [PAIN, BLEEDING, ['dizziness']] },
    ],
    mustNotMiss: [ECTOPIC],
    source: 'NICE NG126: Ectopic pregnancy and miscarriage; NICE CKS: Ectopic pregnancy',
  },
  {
    id: 'early-pregnancy-bleeding',
    description: 'Vaginal bleeding before 20 weeks of pregnancy: needs early pregnancy assessment',
    level: 'consultation_24',
    when: [{ pregnancy: ['pregnant'], gestationalWeeks: { below: 20 }, anyOf: [BLEEDING] }],
    mustNotMiss: [ECTOPIC],
    source: 'NICE NG126: Ectopic pregnancy and miscarriage',
  },
  {
    id: 'early-pregnancy-heavy-bleeding',
    description:
      'Heavy bleeding or large clots before 20 weeks of pregnancy, or in a woman who may be pregnant with a late period',
    level: 'emergency',
    when: [
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { below: 20 },
        anyOf: [['heavy_bleeding', 'soaking_pad_hourly', 'large_clots']],
      },
      {
        pregnancy: ['possibly_pregnant'],
        anyOf: [
          ['missed_period', 'possible_pregnancy', 'positive_pregnancy_test'],
          ['heavy_bleeding', 'soaking_pad_hourly', 'large_clots'],
        ],
      },
    ],
    mustNotMiss: [ECTOPIC, { icd10: 'O03.4', condition: 'Incomplete miscarriage' }],
    source: 'NICE NG126: Ectopic pregnancy and miscarriage; NICE CKS: Miscarriage',
  },
  {
    id: 'hyperemesis-dehydration',
    description:
      'Pregnant, unable to keep fluids down, with little or dark urine or fainting: same-day fluids',
    level: 'emergency',
    when: [
      {
        pregnancy: ['pregnant'],
        allOf: ['persistent_vomiting'],
        anyOf: [['dehydration', 'reduced_urine', 'syncope', 'hypotension']],
      },
    ],
    mustNotMiss: [{ icd10: 'O21.1', condition: 'Hyperemesis gravidarum' }],
    source: 'RCOG Green-top Guideline No. 69: Nausea and vomiting of pregnancy and hyperemesis gravidarum',
  },
];
