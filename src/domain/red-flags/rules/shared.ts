/** Findings and must-not-miss conditions several rule groups share. */
export const ECTOPIC = { icd10: 'O00.90', condition: 'Ectopic pregnancy' } as const;
export const TORSION = { icd10: 'N83.519', condition: 'Ovarian torsion' } as const;
export const APPENDICITIS = { icd10: 'K35.80', condition: 'Acute appendicitis' } as const;
export const PID = { icd10: 'N73.9', condition: 'Pelvic inflammatory disease' } as const;
export const TOA = { icd10: 'N70.03', condition: 'Tubo-ovarian abscess' } as const;
export const SEPSIS = { icd10: 'A41.9', condition: 'Sepsis' } as const;
export const PRE_ECLAMPSIA = { icd10: 'O14.90', condition: 'Pre-eclampsia' } as const;
export const PPROM = { icd10: 'O42.919', condition: 'Preterm prelabour rupture of membranes' } as const;
export const ABRUPTION = { icd10: 'O45.90', condition: 'Placental abruption' } as const;
export const SUICIDAL = { icd10: 'R45.851', condition: 'Suicidal thoughts' } as const;

export const PAIN = ['pelvic_pain', 'abdominal_pain', 'unilateral_pain'] as const;
export const INFECTION_SIGNS = ['fever', 'hypothermia', 'rigors'] as const;
export const BLEEDING = [
  'vaginal_bleeding',
  'heavy_bleeding',
  'light_bleeding',
  'postcoital_bleeding',
] as const;
/** Waters broken or fluid leaking; a patient who says her waters went is pregnant whatever the form says. */
export const WATERS = ['fluid_leak', 'waters_broken'] as const;
export const PREGNANT_OR_MAYBE = ['pregnant', 'possibly_pregnant'] as const;
export const AROUND_BIRTH = ['pregnant', 'postpartum', 'possibly_pregnant'] as const;
export const SHOCK_SIGNS = ['dizziness', 'syncope', 'tachycardia', 'pallor'] as const;
export const PRE_ECLAMPSIA_SYMPTOMS = [
  'severe_headache',
  'visual_disturbance',
  'upper_abdominal_pain',
] as const;
export const SEVERE_BP = [
  { vital: 'systolic_bp', op: '>=', value: 160 },
  { vital: 'diastolic_bp', op: '>=', value: 110 },
] as const;
