import type { RedFlagRule } from '../types.ts';
import {
  PRE_ECLAMPSIA,
  PPROM,
  ABRUPTION,
  BLEEDING,
  WATERS,
  PREGNANT_OR_MAYBE,
  AROUND_BIRTH,
  PRE_ECLAMPSIA_SYMPTOMS,
  SEVERE_BP,
} from './shared.ts';

/** Later pregnancy and labour: membranes, cord, birth, fetal movements, placenta, blood pressure. */
export const LATER_PREGNANCY_RULES: readonly RedFlagRule[] = [
  {
    id: 'cord-prolapse',
    description:
      'Umbilical cord, or anything else, seen or felt in the vagina, above all after the waters have broken: call an ambulance',
    level: 'emergency_ambulance',
    when: [
      { pregnancy: PREGNANT_OR_MAYBE, allOf: ['cord_prolapse'] },
      { pregnancy: PREGNANT_OR_MAYBE, allOf: ['something_in_vagina'], anyOf: [WATERS] },
    ],
    mustNotMiss: [{ icd10: 'O69.0XX0', condition: 'Umbilical cord prolapse' }],
    source: 'RCOG Green-top Guideline No. 50: Umbilical cord prolapse',
  },
  {
    id: 'imminent-birth',
    description: "Urge to push or the baby's head showing: birth may be minutes away, call an ambulance",
    level: 'emergency_ambulance',
    when: [{ pregnancy: PREGNANT_OR_MAYBE, allOf: ['imminent_birth'] }],
    mustNotMiss: [],
    source: 'NICE NG235: Intrapartum care (second stage of labour)',
  },
  {
    id: 'seizure-pregnancy-or-postpartum',
    description:
      'A seizure (fit) in pregnancy, after birth or in a woman who may be pregnant: eclampsia until proven otherwise',
    level: 'emergency_ambulance',
    when: [
      { pregnancy: AROUND_BIRTH, allOf: ['seizure'] },
      { pregnancy: AROUND_BIRTH, allOf: ['fit_word'], noneOf: ['fit_not_seizure'] },
    ],
    mustNotMiss: [{ icd10: 'O15.9', condition: 'Eclampsia' }],
    source:
      'NICE NG133: Hypertension in pregnancy (eclampsia); RCOG Green-top Guideline No. 68: Epilepsy in pregnancy',
  },
  {
    id: 'pre-eclampsia-features',
    description:
      'From 20 weeks of pregnancy or after birth: severe headache, visual disturbance, upper abdominal pain or blood pressure 160/110 or higher',
    level: 'emergency',
    when: [
      { pregnancy: ['pregnant'], gestationalWeeks: { atLeast: 20 }, anyOf: [PRE_ECLAMPSIA_SYMPTOMS] },
      { pregnancy: ['pregnant'], gestationalWeeks: { atLeast: 20 }, vitals: SEVERE_BP },
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { atLeast: 20 },
        allOf: ['hypertension'],
        anyOf: [['headache', 'swelling_face_hands', 'proteinuria', 'breathlessness']],
      },
      { pregnancy: ['postpartum'], anyOf: [PRE_ECLAMPSIA_SYMPTOMS] },
      { pregnancy: ['postpartum'], vitals: SEVERE_BP },
    ],
    mustNotMiss: [PRE_ECLAMPSIA],
    source:
      'NICE NG133: Hypertension in pregnancy; ACOG Practice Bulletin 222: Gestational hypertension and preeclampsia',
  },
  {
    id: 'severe-pre-eclampsia-neurological',
    description:
      'Blood pressure 160/110 or more with severe headache, vision changes or confusion, late in pregnancy or after birth',
    level: 'emergency_ambulance',
    when: [
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { atLeast: 20 },
        vitals: SEVERE_BP,
        anyOf: [['severe_headache', 'visual_disturbance', 'confusion']],
      },
      {
        pregnancy: ['postpartum'],
        vitals: SEVERE_BP,
        anyOf: [['severe_headache', 'visual_disturbance', 'confusion']],
      },
    ],
    mustNotMiss: [{ icd10: 'O14.10', condition: 'Severe pre-eclampsia' }],
    source: 'NICE NG133: Hypertension in pregnancy (severe pre-eclampsia, prevention of eclampsia)',
  },
  {
    id: 'hypertension-in-pregnancy',
    description:
      'From 20 weeks of pregnancy: blood pressure 140/90 or higher, protein in the urine or new swelling of face or hands',
    level: 'consultation_24',
    when: [
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { atLeast: 20 },
        vitals: [
          { vital: 'systolic_bp', op: '>=', value: 140 },
          { vital: 'diastolic_bp', op: '>=', value: 90 },
        ],
      },
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { atLeast: 20 },
        anyOf: [['raised_bp_reading', 'proteinuria', 'swelling_face_hands']],
      },
    ],
    mustNotMiss: [PRE_ECLAMPSIA],
    source: 'NICE NG133: Hypertension in pregnancy',
  },
  {
    id: 'antepartum-haemorrhage',
    description:
      'Vaginal bleeding from 20 weeks of pregnancy: possible placental abruption or placenta praevia',
    level: 'emergency',
    when: [{ pregnancy: ['pregnant'], gestationalWeeks: { atLeast: 20 }, anyOf: [BLEEDING] }],
    mustNotMiss: [
      { icd10: 'O45.90', condition: 'Placental abruption' },
      { icd10: 'O44.10', condition: 'Placenta praevia' },
    ],
    source: 'RCOG Green-top Guideline No. 63: Antepartum haemorrhage',
  },
  {
    id: 'suspected-placental-abruption',
    description:
      'From 20 weeks: a hard, tender womb or constant pain in the bump, or any blow or fall onto the bump, even without bleeding',
    level: 'emergency',
    when: [
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { atLeast: 20 },
        anyOf: [['uterine_tenderness', 'trauma_to_bump']],
      },
    ],
    mustNotMiss: [ABRUPTION],
    source: 'RCOG Green-top Guideline No. 63: Antepartum haemorrhage (placental abruption, abdominal trauma)',
  },
  {
    id: 'abruption-or-heavy-bleeding-with-shock',
    description:
      'From 20 weeks: bleeding with a hard, tender bump, or heavy bleeding with fainting or a racing pulse',
    level: 'emergency_ambulance',
    when: [
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { atLeast: 20 },
        allOf: ['uterine_tenderness'],
        anyOf: [BLEEDING],
      },
      {
        pregnancy: ['pregnant'],
        gestationalWeeks: { atLeast: 20 },
        anyOf: [
          ['heavy_bleeding', 'soaking_pad_hourly', 'large_clots'],
          ['syncope', 'hypotension', 'severe_tachycardia'],
        ],
      },
    ],
    mustNotMiss: [ABRUPTION],
    source: 'RCOG Green-top Guideline No. 63: Antepartum haemorrhage (major haemorrhage, abruption)',
  },
  {
    id: 'preterm-membrane-rupture',
    description:
      'Fluid leaking from the vagina before 37 weeks: possible preterm prelabour rupture of membranes',
    level: 'emergency',
    when: [
      { pregnancy: ['pregnant'], gestationalWeeks: { below: 37 }, anyOf: [WATERS] },
      // Status not given but the text says the waters broke: gestation unknown, so possibly preterm.
      { pregnancy: ['possibly_pregnant'], allOf: ['waters_broken'] },
      { pregnancy: ['possibly_pregnant'], allOf: ['pregnancy_stated'], anyOf: [WATERS] },
    ],
    mustNotMiss: [PPROM],
    source:
      'NICE NG25: Preterm labour and birth; RCOG Green-top Guideline No. 73: Preterm prelabour rupture of membranes',
  },
  {
    id: 'term-membrane-rupture',
    description: 'Waters broken at term: be checked at the maternity unit today',
    // NICE NG235 offers assessment by a midwife at presentation and induction if labour does not start; units see women the same day.
    level: 'emergency',
    when: [{ pregnancy: ['pregnant'], gestationalWeeks: { atLeast: 37 }, anyOf: [WATERS] }],
    mustNotMiss: [],
    source: 'NICE NG235: Intrapartum care (prelabour rupture of membranes at term)',
  },
  {
    id: 'membrane-rupture-malpresentation',
    description:
      'Waters broken with a baby known to be breech or lying across: high risk of cord prolapse, go in now',
    level: 'emergency',
    when: [{ pregnancy: PREGNANT_OR_MAYBE, allOf: ['malpresentation'], anyOf: [WATERS] }],
    mustNotMiss: [{ icd10: 'O69.0XX0', condition: 'Umbilical cord prolapse' }],
    source:
      'RCOG Green-top Guideline No. 50: Umbilical cord prolapse (risk factors); RCOG Green-top Guideline No. 20b: Management of breech presentation',
  },
  {
    id: 'meconium-stained-waters',
    description: 'Green or brown waters: the baby may be distressed, go in now',
    level: 'emergency',
    when: [{ pregnancy: PREGNANT_OR_MAYBE, allOf: ['meconium_liquor'] }],
    mustNotMiss: [],
    source: 'NICE NG235: Intrapartum care (meconium in the amniotic fluid)',
  },
  {
    id: 'fever-with-broken-waters',
    description:
      'Fever or shivering with the waters broken: possible infection of the womb (chorioamnionitis)',
    level: 'emergency',
    when: [{ pregnancy: PREGNANT_OR_MAYBE, anyOf: [['fever', 'rigors'], WATERS] }],
    mustNotMiss: [PPROM],
    source:
      'RCOG Green-top Guideline No. 64a: Bacterial sepsis in pregnancy; RCOG Green-top Guideline No. 73: Preterm prelabour rupture of membranes',
  },
  {
    id: 'fever-in-pregnancy',
    description:
      'Fever or shivering in pregnancy: assessment within 24 hours, at once if the waters have broken',
    level: 'consultation_24',
    when: [{ pregnancy: ['pregnant'], anyOf: [['fever', 'rigors']] }],
    mustNotMiss: [],
    source: 'RCOG Green-top Guideline No. 64a: Bacterial sepsis in pregnancy; NICE NG51: Sepsis',
  },
  {
    id: 'preterm-contractions',
    description: 'Regular contractions before 37 weeks: possible preterm labour',
    level: 'emergency',
    when: [
      { pregnancy: ['pregnant'], gestationalWeeks: { below: 37 }, allOf: ['regular_contractions'] },
      { pregnancy: ['possibly_pregnant'], allOf: ['pregnancy_stated', 'regular_contractions'] },
    ],
    mustNotMiss: [{ icd10: 'O60.00', condition: 'Preterm labour' }],
    source: 'NICE NG25: Preterm labour and birth',
  },
  {
    id: 'reduced-fetal-movements',
    description:
      'Baby moving less than usual from 24 weeks of pregnancy: same-day assessment, do not wait until the next day',
    level: 'emergency',
    when: [
      { pregnancy: ['pregnant'], gestationalWeeks: { atLeast: 24 }, allOf: ['reduced_fetal_movements'] },
      // Status not given: a patient describing her baby's movements is pregnant, weeks unknown.
      { pregnancy: ['possibly_pregnant'], allOf: ['reduced_fetal_movements'] },
    ],
    mustNotMiss: [{ icd10: 'O36.8190', condition: 'Reduced fetal movements' }],
    source: 'RCOG Green-top Guideline No. 57: Reduced fetal movements',
  },
];
