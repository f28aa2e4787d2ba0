/**
 * A clinical concept the matcher can recognise in free text. Synonyms are written as a patient or a
 * clinician would say them; word order, plurals, case and punctuation do not matter. A word written
 * as `=word` must appear exactly as written (used where stemming would merge distinct meanings,
 * such as "fainted" versus "feel faint"). A word written `!word` is not matched: anywhere in the same
 * clause it vetoes that one synonym ("missed period !work": "I miss work with my period pain" is no late
 * period).
 */
export interface ConceptDef {
  readonly id: string;
  /** Human label, used in `supporting_findings`. */
  readonly label: string;
  readonly synonyms: readonly string[];
  /**
   * Words that, anywhere in the same clause, show a match is about something else ("scratching till
   * it bleeds" is skin, not vaginal bleeding). Written lower-case, as typed.
   */
  readonly notWith?: readonly string[];
}
