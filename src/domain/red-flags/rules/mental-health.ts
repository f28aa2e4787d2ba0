import type { RedFlagRule } from '../types.ts';
import { SUICIDAL } from './shared.ts';

/** Risk to self or baby, and postpartum psychosis. */
export const MENTAL_HEALTH_RULES: readonly RedFlagRule[] = [
  {
    id: 'suicidal-thoughts',
    description:
      'Active thoughts of suicide, self-harm or harming the baby, or a plan, preparations or an act of self-harm: same-day crisis assessment',
    level: 'emergency',
    when: [{ anyOf: [['suicidal_thoughts', 'thoughts_harm_baby', 'suicide_plan']] }],
    mustNotMiss: [SUICIDAL],
    source:
      'NICE CG192: Antenatal and postnatal mental health; NICE NG225: Self-harm; NICE CKS: Depression (suicide risk)',
  },
  {
    // In pregnancy and the year after birth suicide is a leading cause of maternal death, so the threshold is lower.
    id: 'perinatal-death-wish',
    description:
      'Pregnant or after birth with thoughts of being better off dead, or that others would be better off without her',
    level: 'emergency',
    when: [{ pregnancy: ['pregnant', 'postpartum'], anyOf: [['passive_death_wish']] }],
    mustNotMiss: [SUICIDAL],
    source:
      'NICE CG192: Antenatal and postnatal mental health (urgent assessment for new thoughts of self-harm); MBRRACE-UK maternal mental health red flags',
  },
  {
    id: 'passive-death-wish',
    description:
      'Thoughts of being better off dead, that others would be better off without her, or of not waking up or not being here: mental health assessment within 24 hours',
    level: 'consultation_24',
    when: [{ anyOf: [['passive_death_wish']] }],
    mustNotMiss: [SUICIDAL],
    source:
      'NICE CG192: Antenatal and postnatal mental health; NICE NG225: Self-harm; NICE CKS: Depression (suicide risk)',
  },
  {
    id: 'postpartum-psychosis',
    description:
      'After birth: hallucinations, paranoia, confusion, strange beliefs, mania or not sleeping for days',
    level: 'emergency',
    when: [
      { pregnancy: ['postpartum'], anyOf: [['psychotic_symptoms', 'psychosis_features', 'confusion']] },
      {
        pregnancy: ['postpartum'],
        allOf: ['sleepless_days'],
        anyOf: [['mood_swings', 'anxiety', 'not_bonding', 'thoughts_harm_baby', 'passive_death_wish']],
      },
      // Bipolar disorder or a past psychosis: lost sleep or a change of mood after birth may be the start.
      {
        pregnancy: ['postpartum'],
        allOf: ['severe_mental_illness_history'],
        anyOf: [['sleepless_days', 'mood_swings']],
      },
    ],
    mustNotMiss: [{ icd10: 'F53.1', condition: 'Postpartum psychosis' }],
    source: 'NICE CG192: Antenatal and postnatal mental health',
  },
];
