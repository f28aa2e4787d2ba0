import type { z } from 'zod';
import type { RedFlagRuleListing } from '../schemas/reference.ts';
import type { RedFlagRule } from './types.ts';

/**
 * Red-flag rules as data, in the spirit of Infermedica's triage tuples: the findings that trigger a
 * rule, the least urgent level the answer may then carry, and the conditions that must then appear
 * in the differential. Wording is ours, paraphrasing the cited guideline.
 */

const ECTOPIC = { icd10: 'O00.90', condition: 'Ectopic pregnancy' } as const;
const TORSION = { icd10: 'N83.519', condition: 'Ovarian torsion' } as const;
const APPENDICITIS = { icd10: 'K35.80', condition: 'Acute appendicitis' } as const;
const PID = { icd10: 'N73.9', condition: 'Pelvic inflammatory disease' } as const;
const TOA = { icd10: 'N70.03', condition: 'Tubo-ovarian abscess' } as const;
const SEPSIS = { icd10: 'A41.9', condition: 'Sepsis' } as const;
const PRE_ECLAMPSIA = { icd10: 'O14.90', condition: 'Pre-eclampsia' } as const;
const PPROM = { icd10: 'O42.919', condition: 'Preterm prelabour rupture of membranes' } as const;
const ABRUPTION = { icd10: 'O45.90', condition: 'Placental abruption' } as const;
const SUICIDAL = { icd10: 'R45.851', condition: 'Suicidal thoughts' } as const;

const PAIN = ['pelvic_pain', 'abdominal_pain', 'unilateral_pain'] as const;
const INFECTION_SIGNS = ['fever', 'hypothermia', 'rigors'] as const;
const BLEEDING = ['vaginal_bleeding', 'heavy_bleeding', 'light_bleeding', 'postcoital_bleeding'] as const;
/** Waters broken or fluid leaking; a patient who says her waters went is pregnant whatever the form says. */
const WATERS = ['fluid_leak', 'waters_broken'] as const;
const PREGNANT_OR_MAYBE = ['pregnant', 'possibly_pregnant'] as const;
const AROUND_BIRTH = ['pregnant', 'postpartum', 'possibly_pregnant'] as const;
const SHOCK_SIGNS = ['dizziness', 'syncope', 'tachycardia', 'pallor'] as const;
const PRE_ECLAMPSIA_SYMPTOMS = ['severe_headache', 'visual_disturbance', 'upper_abdominal_pain'] as const;
const SEVERE_BP = [
  { vital: 'systolic_bp', op: '>=', value: 160 },
  { vital: 'diastolic_bp', op: '>=', value: 110 },
] as const;

export const RED_FLAG_RULE_DEFINITIONS: readonly RedFlagRule[] = [
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
    id: 'heavy-vaginal-bleeding',
    description:
      'Very heavy bleeding: soaking a pad an hour, or heavy bleeding or large clots with dizziness, fainting or a fast pulse',
    level: 'emergency',
    when: [
      { allOf: ['soaking_pad_hourly'] },
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
      { allOf: ['sudden_severe_pain'] },
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
    when: [{ allOf: ['fever'], anyOf: [[...PAIN, 'uterine_tenderness']] }],
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
    id: 'preterm-membrane-rupture',
    description:
      'Fluid leaking from the vagina before 37 weeks: possible preterm prelabour rupture of membranes',
    level: 'emergency',
    when: [
      { pregnancy: ['pregnant'], gestationalWeeks: { below: 37 }, anyOf: [WATERS] },
      // Status not given but the text says the waters broke: gestation unknown, so possibly preterm.
      { pregnancy: ['possibly_pregnant'], allOf: ['waters_broken'] },
    ],
    mustNotMiss: [PPROM],
    source:
      'NICE NG25: Preterm labour and birth; RCOG Green-top Guideline No. 73: Preterm prelabour rupture of membranes',
  },
  {
    id: 'term-membrane-rupture',
    description: 'Waters broken at term: contact the maternity unit the same day',
    level: 'consultation_24',
    when: [{ pregnancy: ['pregnant'], gestationalWeeks: { atLeast: 37 }, anyOf: [WATERS] }],
    mustNotMiss: [],
    source: 'NICE NG235: Intrapartum care (prelabour rupture of membranes at term)',
  },
  {
    id: 'preterm-contractions',
    description: 'Regular contractions before 37 weeks: possible preterm labour',
    level: 'emergency',
    when: [{ pregnancy: ['pregnant'], gestationalWeeks: { below: 37 }, allOf: ['regular_contractions'] }],
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
    id: 'fever-in-pregnancy',
    description:
      'Fever or shivering in pregnancy: assessment within 24 hours, at once if the waters have broken',
    level: 'consultation_24',
    when: [{ pregnancy: ['pregnant'], anyOf: [['fever', 'rigors']] }],
    mustNotMiss: [],
    source: 'RCOG Green-top Guideline No. 64a: Bacterial sepsis in pregnancy; NICE NG51: Sepsis',
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
    id: 'postpartum-fever',
    description:
      'Fever or shivering after birth: possible infection of the womb, wound or breast that can progress to sepsis',
    level: 'emergency',
    when: [{ pregnancy: ['postpartum'], anyOf: [['fever', 'rigors']] }],
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
    id: 'pregnancy-heart-failure-signs',
    description:
      'Pregnant or after birth and breathless lying flat or at rest, or waking up gasping: possible heart failure (peripartum cardiomyopathy)',
    level: 'emergency',
    when: [{ pregnancy: ['pregnant', 'postpartum'], allOf: ['orthopnoea'] }],
    mustNotMiss: [{ icd10: 'O90.3', condition: 'Peripartum cardiomyopathy' }],
    source: 'ACOG Practice Bulletin 212: Pregnancy and heart disease (red flags)',
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
    ],
    mustNotMiss: [{ icd10: 'F53.1', condition: 'Postpartum psychosis' }],
    source: 'NICE CG192: Antenatal and postnatal mental health',
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

/** What `GET /v1/red-flags` lists: the rules without their trigger internals. */
export type PublicRedFlagRule = z.infer<typeof RedFlagRuleListing>;

export const RED_FLAG_RULES: readonly PublicRedFlagRule[] = RED_FLAG_RULE_DEFINITIONS.map((r) => ({
  id: r.id,
  description: r.description,
  level: r.level,
  must_not_miss: r.mustNotMiss.map((m) => ({ icd10: m.icd10, condition: m.condition })),
  source: r.source,
}));
