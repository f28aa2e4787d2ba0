import type { ConditionDef } from '../types.ts';
import { LATER_PREGNANCY, POSTPARTUM_ONLY } from './context.ts';
import { CTG, GROUP_AND_SAVE } from './investigations.ts';

const NG133 =
  'NICE NG133: Hypertension in pregnancy; ACOG Practice Bulletin 222: Gestational hypertension and preeclampsia';

const SEVERE_PE_BLOODS = {
  name: 'FBC, liver enzymes, kidney function and urine protein:creatinine ratio',
  priority: 'high',
  reason: 'Shows how far pre-eclampsia has affected the blood, liver and kidneys.',
} as const;

/** A fit with the signs of pre-eclampsia around it: the same weights before and after birth. */
const ECLAMPSIA_SIGNS = {
  seizure: 6,
  fit_word: 5,
  confusion: 1,
  severe_headache: 1,
  headache: 0.5,
  visual_disturbance: 1,
  hypertension: 1,
  severe_hypertension: 1,
} as const;

/** Severe forms of pre-eclampsia, eclampsia, cord prolapse and unexplained bleeding in later pregnancy. */
export const SEVERE_OBSTETRIC_CONDITIONS: readonly ConditionDef[] = [
  {
    // NICE NG133 counts BP 160/110 or more, severe headache, visual disturbance or upper abdominal pain as severe features.
    name: 'Severe pre-eclampsia',
    layName: 'Severe pre-eclampsia',
    icd10: 'O14.10',
    triage: 'emergency',
    prior: 1,
    context: { ...LATER_PREGNANCY, gestation_under_20: 0, postpartum: 0.4 },
    findings: {
      severe_hypertension: 3,
      hypertension: 1,
      severe_headache: 2,
      visual_disturbance: 2.5,
      upper_abdominal_pain: 2,
      swelling_face_hands: 1,
      proteinuria: 1,
      headache: 0.5,
      vomiting: 0.5,
      confusion: 0.5,
      fever: -1,
    },
    investigations: [SEVERE_PE_BLOODS, CTG],
    advice: [
      'Go to the maternity unit now, by ambulance if the headache or vision problems are severe: blood pressure this high needs treatment within the hour.',
    ],
    source: NG133,
  },
  {
    name: 'Severe pre-eclampsia after birth',
    layName: 'Pre-eclampsia after birth',
    icd10: 'O14.15',
    triage: 'emergency',
    prior: 0.8,
    context: POSTPARTUM_ONLY,
    findings: {
      severe_hypertension: 3,
      hypertension: 1.5,
      raised_bp_reading: 1,
      severe_headache: 2,
      headache: 1,
      visual_disturbance: 2.5,
      upper_abdominal_pain: 2,
      swelling_face_hands: 1,
      recent_birth: 0.3,
      first_days_after_birth: 0.5,
      fever: -1,
      vaginal_bleeding: -0.5,
    },
    investigations: [SEVERE_PE_BLOODS],
    advice: [
      'Pre-eclampsia can start or worsen in the first weeks after birth: go to the maternity unit or emergency department now.',
    ],
    source: NG133,
  },
  {
    // HELLP (haemolysis, raised liver enzymes, low platelets) often presents as "heartburn" with malaise, BP only mildly up.
    name: 'HELLP syndrome',
    layName: 'HELLP syndrome (a severe form of pre-eclampsia affecting the liver and blood)',
    icd10: 'O14.20',
    triage: 'emergency',
    prior: 0.4,
    context: { ...LATER_PREGNANCY, gestation_under_20: 0, postpartum: 0.3 },
    findings: {
      upper_abdominal_pain: 2.5,
      heartburn_like_pain: 2.5,
      vomiting: 1.2,
      nausea: 0.8,
      flu_like: 1.5,
      feel_very_unwell: 1,
      hypertension: 1,
      severe_hypertension: 0.5,
      unilateral_pain: 0.3,
      headache: 0.3,
      fever: -1,
      diarrhoea: -1,
      vaginal_bleeding: -0.5,
    },
    investigations: [SEVERE_PE_BLOODS, CTG],
    advice: [
      'Pain under the ribs or "heartburn" that antacids do not ease, with sickness, late in pregnancy needs checking at the maternity unit now.',
    ],
    source: `${NG133}; RCOG: Pre-eclampsia patient information (HELLP syndrome)`,
  },
  {
    name: 'Eclampsia',
    layName: 'Eclampsia (a fit caused by pre-eclampsia)',
    icd10: 'O15.00',
    triage: 'emergency_ambulance',
    prior: 0.3,
    context: { ...LATER_PREGNANCY, gestation_under_20: 0.02 },
    findings: {
      ...ECLAMPSIA_SIGNS,
      swelling_face_hands: 0.5,
      upper_abdominal_pain: 0.5,
      fit_not_seizure: -5,
    },
    investigations: [SEVERE_PE_BLOODS, CTG],
    advice: [
      'Call an ambulance now. Lay her on her left side, keep her safe from injury and do not put anything in her mouth.',
    ],
    source: `${NG133}; RCOG Green-top Guideline No. 68: Epilepsy in pregnancy`,
  },
  {
    // The unspecified-timing code: fits after birth (eclampsia can occur up to weeks later) or when timing is unclear.
    name: 'Eclampsia (after birth or timing unclear)',
    layName: 'Eclampsia (a fit caused by pre-eclampsia)',
    icd10: 'O15.9',
    triage: 'emergency_ambulance',
    prior: 0.1,
    context: {
      not_pregnant: 0,
      postmenopausal: 0,
      pregnant: 0.3,
      gestation_under_20: 0.02,
      possibly_pregnant: 0.5,
    },
    findings: { ...ECLAMPSIA_SIGNS, recent_birth: 0.5, fit_not_seizure: -5 },
    investigations: [SEVERE_PE_BLOODS],
    advice: ['Call an ambulance now. Lay her on her side and keep her safe from injury.'],
    source: NG133,
  },
  {
    name: 'Umbilical cord prolapse',
    layName: 'Cord coming down before the baby (cord prolapse)',
    icd10: 'O69.0XX0',
    triage: 'emergency_ambulance',
    prior: 0.2,
    context: LATER_PREGNANCY,
    findings: {
      cord_prolapse: 5,
      something_in_vagina: 4,
      waters_broken: 1,
      fluid_leak: 0.5,
      malpresentation: 1.5,
      reduced_fetal_movements: 0.5,
    },
    investigations: [CTG],
    advice: [
      'Call an ambulance now. Get on your knees with your bottom in the air and head down, or lie on your left side with a pillow under your hips; do not push the cord back.',
    ],
    source: 'RCOG Green-top Guideline No. 50: Umbilical cord prolapse',
  },
  {
    // Most bleeding after 20 weeks has no cause found at once; abruption and praevia are the ones to exclude.
    name: 'Antepartum haemorrhage',
    layName: 'Bleeding in the second half of pregnancy',
    icd10: 'O46.90',
    triage: 'emergency',
    prior: 2,
    context: { ...LATER_PREGNANCY, gestation_under_20: 0.02 },
    findings: {
      vaginal_bleeding: 2.5,
      light_bleeding: 0.5,
      heavy_bleeding: 0.5,
      soaking_pad_hourly: 0.5,
      cramping: 0.3,
      back_pain: 0.3,
      uterine_tenderness: -1,
      low_lying_placenta: -1.5,
      regular_contractions: -1,
      fluid_leak: -0.5,
      abdominal_trauma: -1,
    },
    investigations: [
      CTG,
      { ...GROUP_AND_SAVE, name: 'FBC, group and save and Kleihauer test if rhesus negative' },
      { name: 'Ultrasound for placental site', priority: 'high', reason: 'Excludes placenta praevia.' },
    ],
    advice: [
      'Go to the maternity unit now for any bleeding after 20 weeks; call an ambulance if it is heavy, you feel faint or have constant pain.',
    ],
    source: 'RCOG Green-top Guideline No. 63: Antepartum haemorrhage',
  },
];
