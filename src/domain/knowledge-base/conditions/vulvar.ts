import type { ConditionDef } from '../types.ts';
import { VAGINAL_SWAB } from './investigations.ts';

const BASHH_VULVAL = 'BASHH UK national guideline on the management of vulval conditions (2014)';

export const VULVAR_CONDITIONS: readonly ConditionDef[] = [
  {
    name: 'Lichen sclerosus',
    layName: 'Lichen sclerosus',
    icd10: 'L90.0',
    triage: 'consultation',
    prior: 2,
    context: { age_50_plus: 2, postmenopausal: 1.5 },
    findings: {
      white_patches: 3,
      genital_itch: 1.5,
      itch: 0.8,
      skin_fissures: 1.5,
      scarring_changes: 2.5,
      dyspareunia: 0.7,
      vulval_pain: 0.5,
      persistent_symptoms: 0.5,
      onset_chronic: 0.5,
      vaginal_discharge: -1,
      thick_white_discharge: -1.5,
      fishy_odour: -1,
    },
    investigations: [
      {
        name: 'Vulval examination; biopsy if atypical or not responding',
        priority: 'medium',
        reason: 'Confirms it and excludes cancer.',
      },
    ],
    advice: [
      'A strong steroid ointment controls lichen sclerosus; long-term follow-up checks for skin changes.',
    ],
    source: `British Association of Dermatologists guideline for lichen sclerosus (2018); ${BASHH_VULVAL}`,
  },
  {
    name: 'Vulvodynia',
    layName: 'Vulval pain without a visible cause',
    icd10: 'N94.819',
    triage: 'consultation',
    prior: 2,
    context: { pregnant: 0.5 },
    findings: {
      vulval_pain: 2,
      touch_provoked_pain: 3,
      dyspareunia: 1.5,
      persistent_symptoms: 1,
      duration_3_weeks_plus: 0.5,
      onset_chronic: 0.5,
      vaginal_discharge: -1,
      genital_itch: -0.5,
      genital_ulcer: -2,
      genital_blisters: -2,
      vulval_redness: -0.5,
      white_patches: -1.5,
      fever: -1,
    },
    investigations: [{ ...VAGINAL_SWAB, reason: 'Excludes infection before the diagnosis is made.' }],
    advice: [
      'Avoid irritants, use a plain emollient; treatments include nerve-pain medicines and pelvic floor physiotherapy.',
    ],
    source: BASHH_VULVAL,
  },
  {
    name: 'Irritant contact vulvitis',
    layName: 'Irritation from a product',
    icd10: 'N76.2',
    triage: 'self_care',
    prior: 3,
    findings: {
      irritant_exposure: 3.5,
      genital_itch: 1.5,
      vulval_redness: 2,
      vulval_pain: 1,
      itch: 0.5,
      vaginal_discharge: -0.8,
      thick_white_discharge: -1.5,
      fishy_odour: -1,
      genital_blisters: -1,
      fever: -1.5,
    },
    investigations: [],
    advice: [
      'Stop the suspected product; wash with water or an emollient soap substitute and wear cotton underwear.',
      'See a clinician if it is not better within 2 weeks.',
    ],
    source: BASHH_VULVAL,
  },
];
