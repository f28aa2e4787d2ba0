import type { Investigation } from '../../schemas/diagnose.ts';

/** Investigations several conditions share, worded once. */
export const PREGNANCY_TEST: Investigation = {
  name: 'Urine pregnancy test',
  priority: 'high',
  reason: 'Pregnancy changes the likely causes and their urgency; rule out ectopic pregnancy.',
};
export const STI_NAAT: Investigation = {
  name: 'NAAT for chlamydia and gonorrhoea (vulvovaginal swab)',
  priority: 'high',
  reason: 'Confirms or excludes the commonest sexually transmitted infections.',
};
export const STI_SCREEN: Investigation = {
  name: 'HIV and syphilis serology',
  priority: 'medium',
  reason: 'Offered with any STI diagnosis; infections often coexist.',
};
export const VAGINAL_SWAB: Investigation = {
  name: 'Vaginal swab for microscopy and culture',
  priority: 'medium',
  reason: 'Distinguishes thrush, bacterial vaginosis and trichomoniasis when the picture is unclear.',
};
export const PELVIC_ULTRASOUND: Investigation = {
  name: 'Pelvic ultrasound (transvaginal)',
  priority: 'medium',
  reason: 'Shows the uterus and ovaries: cysts, fibroids, masses, endometrial thickness.',
};
export const URGENT_PELVIC_ULTRASOUND: Investigation = {
  name: 'Urgent pelvic ultrasound with Doppler',
  priority: 'high',
  reason: 'Looks for an adnexal mass, free fluid or absent ovarian blood flow.',
};
export const FBC: Investigation = {
  name: 'Full blood count',
  priority: 'medium',
  reason: 'Detects anaemia from blood loss and raised white cells in infection.',
};
export const INFECTION_BLOODS: Investigation = {
  name: 'Blood cultures, FBC, CRP and lactate',
  priority: 'high',
  reason: 'Assesses the severity of infection and screens for sepsis.',
};
export const GROUP_AND_SAVE: Investigation = {
  name: 'FBC, blood group and cross-match, clotting',
  priority: 'high',
  reason: 'Prepares for transfusion after significant blood loss; rhesus status guides anti-D.',
};
export const SERUM_HCG: Investigation = {
  name: 'Serum hCG (repeated after 48 hours)',
  priority: 'high',
  reason:
    'The trend separates a viable pregnancy from miscarriage or ectopic pregnancy when the scan is inconclusive.',
};
export const EARLY_PREGNANCY_SCAN: Investigation = {
  name: 'Transvaginal ultrasound at an early pregnancy assessment unit',
  priority: 'high',
  reason: 'Locates the pregnancy and checks viability.',
};
export const CTG: Investigation = {
  name: 'Cardiotocography (fetal heart monitoring)',
  priority: 'high',
  reason: "Checks the baby's wellbeing.",
};
export const URINE_DIPSTICK: Investigation = {
  name: 'Urine dipstick',
  priority: 'medium',
  reason: 'Screens for infection, blood and protein.',
};
export const URINE_CULTURE: Investigation = {
  name: 'Midstream urine culture',
  priority: 'high',
  reason: 'Identifies the organism and its antibiotic sensitivities.',
};
export const SPECULUM: Investigation = {
  name: 'Speculum examination of the cervix',
  priority: 'high',
  reason: 'Looks for a visible cause of bleeding or discharge, including a suspicious cervix.',
};

/** Venous thromboembolism in pregnancy and after birth (RCOG Green-top 37a/37b). */
export const LEG_DUPLEX: Investigation = {
  name: 'Compression duplex ultrasound of the leg',
  priority: 'high',
  reason: 'Diagnoses a deep vein thrombosis.',
};
export const PE_IMAGING: Investigation = {
  name: 'Chest X-ray and CT pulmonary angiogram or V/Q scan',
  priority: 'high',
  reason: 'Diagnoses a pulmonary embolism.',
};
export const VTE_ADVICE =
  'Call an ambulance for chest pain or breathlessness; go to hospital today for a painful swollen leg.';
