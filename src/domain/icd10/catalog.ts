/**
 * The ICD-10-CM codes this service may return. Model output naming any other code is rejected,
 * so a model cannot invent a diagnosis code. Titles are short descriptors, not the official long titles.
 */
export interface Icd10Entry {
  readonly code: string;
  readonly title: string;
}

const ENTRIES: readonly Icd10Entry[] = [
  { code: 'B37.31', title: 'Acute candidiasis of vulva and vagina' },
  { code: 'N76.0', title: 'Acute vaginitis (including bacterial vaginosis)' },
  { code: 'A59.01', title: 'Trichomonal vulvovaginitis' },
  { code: 'A56.09', title: 'Chlamydial infection of lower genitourinary tract' },
  { code: 'A54.03', title: 'Gonococcal cervicitis' },
  { code: 'A60.04', title: 'Herpesviral vulvovaginitis' },
  { code: 'N73.9', title: 'Female pelvic inflammatory disease, unspecified' },
  { code: 'N30.00', title: 'Acute cystitis without hematuria' },
  { code: 'O00.90', title: 'Unspecified ectopic pregnancy without intrauterine pregnancy' },
  { code: 'O03.9', title: 'Complete or unspecified spontaneous abortion without complication' },
  { code: 'N94.6', title: 'Dysmenorrhea, unspecified' },
  { code: 'N80.9', title: 'Endometriosis, unspecified' },
  { code: 'D25.9', title: 'Leiomyoma of uterus, unspecified' },
  { code: 'E28.2', title: 'Polycystic ovarian syndrome' },
  { code: 'N83.20', title: 'Unspecified ovarian cysts' },
  { code: 'N83.50', title: 'Torsion of ovary and ovarian pedicle' },
  { code: 'N95.0', title: 'Postmenopausal bleeding' },
  { code: 'N92.0', title: 'Excessive and frequent menstruation with regular cycle' },
  { code: 'O14.90', title: 'Unspecified pre-eclampsia, unspecified trimester' },
  { code: 'K35.80', title: 'Unspecified acute appendicitis' },
];

export const ICD10_CATALOG: ReadonlyMap<string, Icd10Entry> = new Map(ENTRIES.map((e) => [e.code, e]));

export function isKnownIcd10(code: string): boolean {
  return ICD10_CATALOG.has(code);
}

export function icd10Codes(): string[] {
  return [...ICD10_CATALOG.keys()];
}
