import type { ConditionDef } from '../types.ts';
import { PELVIC_ULTRASOUND, URINE_DIPSTICK } from './investigations.ts';

const NG23 = 'NICE NG23: Menopause: identification and management';

export const MENOPAUSE_CONDITIONS: readonly ConditionDef[] = [
  {
    name: 'Menopause',
    layName: 'Menopause symptoms',
    icd10: 'N95.1',
    triage: 'consultation',
    prior: 8,
    context: {
      pregnant: 0,
      postpartum: 0,
      age_under_40: 0.02,
      age_45_plus: 3,
      age_50_plus: 1.5,
      age_60_plus: 0.4,
      perimenopausal: 3,
      postmenopausal: 1.5,
    },
    findings: {
      hot_flushes: 3,
      irregular_periods: 1,
      missed_period: 1,
      sleep_problems: 1,
      mood_swings: 0.7,
      low_mood: 0.5,
      vasomotor_cognitive: 1.2,
      vaginal_dryness: 0.8,
      low_libido: 0.7,
      palpitations: 0.3,
      anxiety: 0.3,
      vaginal_bleeding: -0.7,
      fever: -1.5,
      pelvic_pain: -0.8,
    },
    investigations: [],
    advice: [
      'Over 45 the menopause is diagnosed from symptoms; blood tests are not needed.',
      'Discuss hormone replacement therapy and other options with your GP; bleeding after a year without periods needs checking.',
    ],
    source: NG23,
  },
  {
    name: 'Genitourinary syndrome of menopause',
    layName: 'Vaginal dryness after the menopause',
    icd10: 'N95.2',
    triage: 'consultation',
    prior: 5,
    context: { pregnant: 0, age_under_40: 0.05, postmenopausal: 3, perimenopausal: 1.5 },
    findings: {
      vaginal_dryness: 3,
      dyspareunia: 1.5,
      vulval_pain: 1,
      genital_itch: 0.7,
      dysuria: 0.7,
      urgency: 0.5,
      urinary_frequency: 0.3,
      light_bleeding: 0.3,
      postcoital_bleeding: 0.5,
      recurrent_episodes: 0.3,
      thick_white_discharge: -1,
      fever: -1,
    },
    investigations: [
      { ...URINE_DIPSTICK, priority: 'low', reason: 'If urinary symptoms suggest infection.' },
    ],
    advice: [
      'Vaginal moisturisers and lubricants help; low-dose vaginal oestrogen is safe and effective for most women.',
    ],
    source: `${NG23} (urogenital atrophy)`,
  },
  {
    name: 'Postmenopausal bleeding',
    layName: 'Bleeding after the menopause',
    icd10: 'N95.0',
    triage: 'consultation',
    prior: 3,
    context: { pregnant: 0, postpartum: 0, premenopausal: 0, age_under_40: 0.01, postmenopausal: 4 },
    findings: {
      postmenopausal_bleeding: 3.5,
      vaginal_bleeding: 0.5,
      light_bleeding: 0.3,
      bloodstained_discharge: 0.8,
    },
    investigations: [
      { ...PELVIC_ULTRASOUND, priority: 'high', reason: 'Measures endometrial thickness.' },
      {
        name: 'Referral on the suspected cancer pathway (seen within 2 weeks)',
        priority: 'high',
        reason: 'Excludes endometrial cancer.',
      },
    ],
    advice: ['Any bleeding after the menopause must be checked: see your GP this week for referral.'],
    source:
      'NICE NG12: Suspected cancer: recognition and referral (endometrial); NICE CKS: Postmenopausal bleeding',
  },
];
