/**
 * The ICD-10-CM codes this service may return. Model output naming any other code is rejected,
 * so a model cannot invent a diagnosis code. Titles are short descriptors, not the official long
 * titles. Every code the knowledge base or the red-flag rules use must be here (a test checks it);
 * billable (leaf) codes are used wherever one fits.
 */
export interface Icd10Entry {
  readonly code: string;
  readonly title: string;
}

const ENTRIES: readonly Icd10Entry[] = [
  // Infections
  { code: 'B37.31', title: 'Acute candidiasis of vulva and vagina' },
  { code: 'N76.0', title: 'Acute vaginitis (including bacterial vaginosis)' },
  { code: 'A59.01', title: 'Trichomonal vulvovaginitis' },
  { code: 'A56.09', title: 'Chlamydial infection of lower genitourinary tract' },
  { code: 'A54.03', title: 'Gonococcal cervicitis' },
  { code: 'A60.04', title: 'Herpesviral vulvovaginitis' },
  { code: 'A63.0', title: 'Anogenital (venereal) warts' },
  { code: 'N73.9', title: 'Female pelvic inflammatory disease, unspecified' },
  { code: 'N70.03', title: 'Acute salpingitis and oophoritis (tubo-ovarian abscess)' },
  { code: 'N75.1', title: 'Abscess of Bartholin gland' },
  { code: 'N30.00', title: 'Acute cystitis without hematuria' },
  { code: 'N10', title: 'Acute pyelonephritis' },
  { code: 'A48.3', title: 'Toxic shock syndrome' },
  { code: 'A41.9', title: 'Sepsis, unspecified organism' },
  // Early pregnancy
  { code: 'Z34.91', title: 'Supervision of normal pregnancy, first trimester' },
  { code: 'O00.90', title: 'Unspecified ectopic pregnancy without intrauterine pregnancy' },
  { code: 'O20.0', title: 'Threatened abortion' },
  { code: 'O03.4', title: 'Incomplete spontaneous abortion without complication' },
  { code: 'O03.9', title: 'Complete or unspecified spontaneous abortion without complication' },
  { code: 'O01.9', title: 'Hydatidiform mole, unspecified' },
  { code: 'O03.37', title: 'Sepsis following incomplete spontaneous abortion' },
  { code: 'O09.11', title: 'Supervision of pregnancy with history of ectopic pregnancy, first trimester' },
  { code: 'O21.0', title: 'Mild hyperemesis gravidarum (nausea and vomiting of pregnancy)' },
  { code: 'O21.1', title: 'Hyperemesis gravidarum with metabolic disturbance' },
  // Later pregnancy
  { code: 'O13.9', title: 'Gestational hypertension, unspecified trimester' },
  { code: 'O14.90', title: 'Unspecified pre-eclampsia, unspecified trimester' },
  { code: 'O14.10', title: 'Severe pre-eclampsia, unspecified trimester' },
  { code: 'O14.20', title: 'HELLP syndrome, unspecified trimester' },
  { code: 'O45.90', title: 'Premature separation of placenta, unspecified, unspecified trimester' },
  { code: 'O44.10', title: 'Complete placenta previa with hemorrhage, unspecified trimester' },
  { code: 'O46.90', title: 'Antepartum hemorrhage, unspecified, unspecified trimester' },
  { code: 'O60.00', title: 'Preterm labor without delivery, unspecified trimester' },
  { code: 'O42.919', title: 'Preterm premature rupture of membranes, unspecified trimester' },
  { code: 'O42.92', title: 'Full-term premature rupture of membranes' },
  { code: 'O47.9', title: 'False labor, unspecified' },
  { code: 'O24.419', title: 'Gestational diabetes mellitus in pregnancy, unspecified control' },
  {
    code: 'O26.619',
    title: 'Liver and biliary tract disorders in pregnancy (obstetric cholestasis), unspecified trimester',
  },
  { code: 'O36.8190', title: 'Decreased fetal movements, unspecified trimester' },
  { code: 'O69.0XX0', title: 'Labor and delivery complicated by prolapse of cord' },
  { code: 'O15.9', title: 'Eclampsia, unspecified as to time period' },
  { code: 'O15.00', title: 'Eclampsia complicating pregnancy, unspecified trimester' },
  { code: 'O14.15', title: 'Severe pre-eclampsia, complicating the puerperium' },
  { code: 'O88.219', title: 'Thromboembolism in pregnancy, unspecified trimester' },
  { code: 'O26.892', title: 'Other specified pregnancy related conditions, second trimester' },
  // Postpartum
  { code: 'O72.2', title: 'Delayed and secondary postpartum hemorrhage' },
  { code: 'O72.1', title: 'Other immediate postpartum hemorrhage' },
  { code: 'O86.12', title: 'Endometritis following delivery' },
  { code: 'O85', title: 'Puerperal sepsis' },
  { code: 'O91.22', title: 'Nonpurulent mastitis associated with the puerperium' },
  { code: 'F53.0', title: 'Postpartum depression' },
  { code: 'F53.1', title: 'Puerperal psychosis' },
  { code: 'O88.23', title: 'Thromboembolism in the puerperium' },
  { code: 'O90.3', title: 'Peripartum cardiomyopathy' },
  { code: 'O87.1', title: 'Deep phlebothrombosis in the puerperium' },
  { code: 'O90.6', title: 'Postpartum mood disturbance' },
  { code: 'O92.29', title: 'Other disorders of breast associated with pregnancy and the puerperium' },
  { code: 'Z39.2', title: 'Encounter for routine postpartum follow-up' },
  // Menstrual and endocrine
  { code: 'N94.4', title: 'Primary dysmenorrhea' },
  { code: 'N94.6', title: 'Dysmenorrhea, unspecified' },
  { code: 'N94.3', title: 'Premenstrual tension syndrome' },
  { code: 'N92.0', title: 'Excessive and frequent menstruation with regular cycle' },
  { code: 'N91.1', title: 'Secondary amenorrhea' },
  { code: 'N94.0', title: 'Mittelschmerz' },
  { code: 'E28.2', title: 'Polycystic ovarian syndrome' },
  { code: 'E28.310', title: 'Symptomatic premature menopause (premature ovarian insufficiency)' },
  // Structural
  { code: 'D25.9', title: 'Leiomyoma of uterus, unspecified' },
  { code: 'N80.03', title: 'Adenomyosis of the uterus' },
  { code: 'N80.9', title: 'Endometriosis, unspecified' },
  { code: 'N83.20', title: 'Unspecified ovarian cysts' },
  { code: 'N83.209', title: 'Unspecified ovarian cyst, unspecified side' },
  { code: 'N83.519', title: 'Torsion of ovary and ovarian pedicle, unspecified side' },
  { code: 'N81.9', title: 'Female genital prolapse, unspecified' },
  { code: 'N39.3', title: 'Stress incontinence (female)' },
  { code: 'N39.41', title: 'Urge incontinence' },
  { code: 'N86', title: 'Erosion and ectropion of cervix uteri' },
  { code: 'N84.0', title: 'Polyp of corpus uteri (endometrial polyp)' },
  // Menopause
  { code: 'N95.1', title: 'Menopausal and female climacteric states' },
  { code: 'N95.2', title: 'Postmenopausal atrophic vaginitis (genitourinary syndrome of menopause)' },
  { code: 'N95.0', title: 'Postmenopausal bleeding' },
  // Oncology
  { code: 'C54.1', title: 'Malignant neoplasm of endometrium' },
  { code: 'C53.9', title: 'Malignant neoplasm of cervix uteri, unspecified' },
  { code: 'C56.9', title: 'Malignant neoplasm of unspecified ovary' },
  { code: 'C51.9', title: 'Malignant neoplasm of vulva, unspecified' },
  // Vulva
  { code: 'L90.0', title: 'Lichen sclerosus et atrophicus' },
  { code: 'N94.819', title: 'Vulvodynia, unspecified' },
  { code: 'N76.2', title: 'Acute vulvitis (including irritant contact vulvitis)' },
  // Other
  { code: 'N98.1', title: 'Hyperstimulation of ovaries' },
  { code: 'T19.2XXA', title: 'Foreign body in vulva and vagina, initial encounter' },
  { code: 'K35.80', title: 'Unspecified acute appendicitis' },
  { code: 'R45.851', title: 'Suicidal ideations' },
  // Conditions outside gynaecology that mimic it
  { code: 'N20.0', title: 'Calculus of kidney' },
  { code: 'N20.1', title: 'Calculus of ureter' },
  { code: 'K59.00', title: 'Constipation, unspecified' },
  { code: 'K59.03', title: 'Drug induced constipation' },
  {
    code: 'K57.32',
    title: 'Diverticulitis of large intestine without perforation or abscess without bleeding',
  },
  { code: 'A08.4', title: 'Viral intestinal infection, unspecified' },
  { code: 'B02.9', title: 'Zoster without complications' },
  { code: 'G83.4', title: 'Cauda equina syndrome' },
  // Benign gynaecology and contraception
  { code: 'N89.8', title: 'Other specified noninflammatory disorders of vagina (physiological discharge)' },
  { code: 'N64.4', title: 'Mastodynia' },
  { code: 'N93.8', title: 'Other specified abnormal uterine and vaginal bleeding' },
  { code: 'N92.6', title: 'Irregular menstruation, unspecified' },
  { code: 'Z30.012', title: 'Encounter for prescription of emergency contraception' },
];

export const ICD10_CATALOG: ReadonlyMap<string, Icd10Entry> = new Map(ENTRIES.map((e) => [e.code, e]));

export function isKnownIcd10(code: string): boolean {
  return ICD10_CATALOG.has(code);
}

export function icd10Codes(): string[] {
  return [...ICD10_CATALOG.keys()];
}
