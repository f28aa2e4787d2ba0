/**
 * Medication safety: which drugs a patient's allergies, pregnancy, conditions and current medicines
 * rule out, and which of the few over-the-counter self-care medicines (drugs.ts) may be named. The
 * canonical engine never prescribes; the legacy answers use this to fill their medication fields,
 * conservatively: pharmacy medicines only, adult doses only, and only for self-care or
 * booked-appointment triage. Sources are cited beside each rule and in drugs.ts (BNF, NICE CG183, NICE CKS).
 */
import { foldForMatching } from '../text/normalize.ts';
import type { DiagnoseRequest } from '../schemas/diagnose.ts';
import type { TriageLevel } from '../triage.ts';
import { ANTICOAGULANTS, DRUG_CLASSES, SELF_CARE_MEDICINES, type DrugClass } from './drugs.ts';
import type { Medication } from './medication.ts';
import { dedupe } from '../text/dedupe.ts';

const CLASS_BY_ID = new Map(DRUG_CLASSES.map((c) => [c.id, c]));

function classById(id: string): DrugClass {
  return CLASS_BY_ID.get(id) as DrugClass;
}

// ---------------------------------------------------------------------------------------------
// Text matching

/** Lower case, punctuation to spaces, padded, so terms match whole words ("co-amoxiclav" ~ "co amoxiclav"). */
function normalize(text: string): string {
  return ` ${foldForMatching(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()} `;
}

export function mentionsAny(text: string, terms: Iterable<string>): boolean {
  const haystack = normalize(text);
  for (const term of terms) {
    const needle = normalize(term);
    if (needle.trim() && haystack.includes(needle)) return true;
  }
  return false;
}

function termsOf(c: DrugClass): string[] {
  return [...c.members, ...c.aliases];
}

/** The drug classes a piece of text names. */
export function classesMentioned(text: string): DrugClass[] {
  return DRUG_CLASSES.filter((c) => mentionsAny(text, termsOf(c)));
}

const NO_ALLERGY =
  /^\s*(none|no|nil|n\/?a|nkda|nka|no known( drug)? allergies|not known|unknown|-)\s*\.?\s*$/i;
const NON_DRUG_ALLERGEN =
  /\b(latex|peanuts?|nuts?|eggs?|pollen|dust|shellfish|seafood|fish|gluten|lactose|milk|bees?|wasps?|cats?|dogs?|grass|mou?ld|nickel|hay ?fever|food)\b/i;

export function isNoAllergyAnswer(text: string): boolean {
  return NO_ALLERGY.test(text);
}

// ---------------------------------------------------------------------------------------------
// Safety assessment

export interface MedicationContext {
  readonly age: number;
  readonly pregnancy: DiagnoseRequest['patient']['pregnancy_status'];
  /** Allergy entries as the patient gave them. */
  readonly allergies: readonly string[];
  /** Medical conditions and history. */
  readonly conditions: readonly string[];
  readonly currentMedications: readonly string[];
}

export interface MedicationSafety {
  readonly allergicMedications: string[];
  readonly contraindicatedDrugs: string[];
  readonly safeAlternatives: string[];
  readonly conditionInteractions: string[];
  readonly safetyWarnings: string[];
  /** Generic name → why it must not be suggested. */
  readonly excluded: ReadonlyMap<string, string>;
  /** Every word that names an excluded drug or class, to screen free-text advice. */
  readonly excludedTerms: readonly string[];
}

const PEPTIC_ULCER =
  /\b(peptic|stomach|gastric|duodenal)\s+ulcers?\b|\bulcers?\b|\b(gi|gastrointestinal|stomach)\s+bleed/i;
const KIDNEY = /\b(kidney|renal)\s+(disease|failure|impairment|problems?)\b|\bckd\b/i;
const HEART_FAILURE = /\b(heart|cardiac)\s+failure\b/i;
const ASTHMA = /\basthma/i;
const LIVER = /\b(liver|hepatic)\s+(disease|failure|impairment|problems?)\b|\bcirrhosis\b|\bhepatitis\b/i;

/** Works out what must not be suggested to this patient, and why, in the legacy safety fields' terms. */
export function assessMedicationSafety(ctx: MedicationContext): MedicationSafety {
  const excluded = new Map<string, string>();
  const excludedClasses = new Set<string>();
  const exclude = (drug: string, reason: string) => {
    if (!excluded.has(drug)) excluded.set(drug, reason);
  };
  const excludeClass = (id: string, reason: string) => {
    excludedClasses.add(id);
    for (const member of classById(id).members) exclude(member, reason);
  };

  const warnings: string[] = [];
  const interactions: string[] = [];
  const allergyEntries = dedupe(ctx.allergies).filter((a) => !isNoAllergyAnswer(a));
  const allergicClasses = new Set<string>();
  const unrecognizedDrugAllergies: string[] = [];

  for (const entry of allergyEntries) {
    const hits = classesMentioned(entry);
    for (const c of hits) allergicClasses.add(c.id);
    if (hits.length === 0 && !NON_DRUG_ALLERGEN.test(entry)) unrecognizedDrugAllergies.push(entry);
  }
  for (const id of allergicClasses) excludeClass(id, `allergy: ${classById(id).name}`);

  // BNF, Cephalosporins: cross-sensitivity with penicillins; avoid after an immediate-type penicillin reaction.
  if (allergicClasses.has('penicillins') && !allergicClasses.has('cephalosporins')) {
    warnings.push(
      'Penicillin allergy: cephalosporins (e.g. cefalexin, ceftriaxone) can cross-react. Avoid them if the reaction was ' +
        'immediate (anaphylaxis, hives, swelling); otherwise a clinician should decide (BNF).',
    );
  }
  if (allergicClasses.has('cephalosporins') && !allergicClasses.has('penicillins')) {
    warnings.push(
      'Cephalosporin allergy: penicillins can cross-react; a clinician should decide before any penicillin (BNF).',
    );
  }
  // BNF, NSAIDs: contra-indicated after hypersensitivity to aspirin or any other NSAID.
  if (allergicClasses.has('nsaids')) {
    warnings.push(
      'NSAID or aspirin allergy: avoid every NSAID, including ibuprofen, naproxen, mefenamic acid and aspirin (BNF).',
    );
  }
  for (const entry of unrecognizedDrugAllergies) {
    warnings.push(
      `Allergy to "${entry}" is not in this service's drug list: check every medicine against it with a pharmacist.`,
    );
  }
  if (allergyEntries.length > 0) {
    warnings.push('Tell every doctor, nurse and pharmacist about your allergies before taking any medicine.');
  }

  // Pregnancy (BNF, each monograph; NICE CKS). Conservative: any trimester.
  if (ctx.pregnancy === 'pregnant') {
    excludeClass('nsaids', 'pregnancy');
    excludeClass('tetracyclines', 'pregnancy');
    exclude('fluconazole', 'pregnancy');
    interactions.push(
      'Pregnancy: NSAIDs (ibuprofen, naproxen, mefenamic acid, aspirin for pain) are avoided, and contra-indicated in the third ' +
        'trimester; paracetamol is the usual pain relief (BNF, NICE CKS).',
    );
    interactions.push(
      'Pregnancy: oral fluconazole and tetracyclines (e.g. doxycycline) must not be used (BNF, NICE CKS).',
    );
  } else if (ctx.pregnancy === 'postpartum') {
    exclude('fluconazole', 'breastfeeding (pharmacy sale)');
  }

  const conditions = ctx.conditions.join('; ');
  const medicines = ctx.currentMedications.join('; ');
  if (PEPTIC_ULCER.test(conditions)) {
    excludeClass('nsaids', 'peptic ulcer or gastrointestinal bleeding');
    interactions.push('History of stomach ulcer or bleeding: NSAIDs must be avoided (BNF).');
  }
  if (KIDNEY.test(conditions)) {
    excludeClass('nsaids', 'kidney disease');
    interactions.push('Kidney disease: NSAIDs must be avoided (BNF).');
  }
  if (HEART_FAILURE.test(conditions)) {
    excludeClass('nsaids', 'heart failure');
    interactions.push('Heart failure: NSAIDs must be avoided (BNF).');
  }
  if (mentionsAny(medicines, ANTICOAGULANTS)) {
    excludeClass('nsaids', 'taken with an anticoagulant or antiplatelet');
    interactions.push(
      'Anticoagulant or antiplatelet medicine: NSAIDs raise the risk of bleeding and must be avoided (BNF).',
    );
  }
  if (ASTHMA.test(conditions) && !excludedClasses.has('nsaids')) {
    interactions.push(
      'Asthma: NSAIDs can trigger bronchospasm in some people; do not take them if they have done so before (BNF).',
    );
  }
  if (LIVER.test(conditions)) {
    interactions.push(
      'Liver disease: paracetamol needs a lower dose, and NSAIDs are best avoided; ask a pharmacist (BNF).',
    );
  }
  if (ctx.currentMedications.length > 0) {
    interactions.push(
      'Current medicines were taken into account; check any new medicine with a pharmacist for interactions.',
    );
  }

  const contraindicated = dedupe([
    ...[...allergicClasses].flatMap((id) => classById(id).members),
    ...unrecognizedDrugAllergies,
  ]);
  const alternatives = dedupe(
    [...allergicClasses]
      .flatMap((id) => classById(id).alternatives)
      .filter((alt) => !excluded.has(alt.drug))
      .map((alt) => alt.label),
  );
  const excludedTerms = dedupe([
    ...excluded.keys(),
    ...[...excludedClasses].flatMap((id) => classById(id).aliases),
    ...unrecognizedDrugAllergies,
  ]);

  return {
    allergicMedications: allergyEntries,
    contraindicatedDrugs: contraindicated,
    safeAlternatives: alternatives,
    conditionInteractions: interactions,
    safetyWarnings: warnings,
    excluded,
    excludedTerms,
  };
}

// ---------------------------------------------------------------------------------------------
// Self-care suggestions

/** Adult pharmacy doses only. */
export const MIN_SELF_CARE_AGE = 16;

export interface SelfCareResult {
  medications: Medication[];
  /** Why something was left out, for processing notes; no patient data. */
  notes: string[];
}

/**
 * Over-the-counter medicines for the working diagnosis, when the triage allows self-care or a booked
 * appointment, minus everything the safety assessment excludes. Empty otherwise.
 */
export function selfCareMedications(
  icd10: string | undefined,
  level: TriageLevel,
  ctx: Pick<MedicationContext, 'age' | 'pregnancy' | 'currentMedications'>,
  safety: MedicationSafety,
): SelfCareResult {
  const notes: string[] = [];
  if (level !== 'self_care' && level !== 'consultation') return { medications: [], notes };
  const candidates = icd10 ? SELF_CARE_MEDICINES.get(icd10) : undefined;
  if (!candidates) return { medications: [], notes };
  if (ctx.age < MIN_SELF_CARE_AGE) {
    notes.push(
      `No medicine suggested under age ${MIN_SELF_CARE_AGE}: ask a pharmacist for an age-appropriate dose.`,
    );
    return { medications: [], notes };
  }
  const medications: Medication[] = [];
  for (const s of candidates) {
    const reason = safety.excluded.get(s.drug);
    if (reason) {
      notes.push(`${s.medication.name} not suggested (${reason}).`);
      continue;
    }
    if (s.maxAge !== undefined && ctx.age > s.maxAge) {
      notes.push(`${s.medication.name} not suggested (pharmacy sale limited to age ${s.maxAge} and under).`);
      continue;
    }
    if (mentionsAny(ctx.currentMedications.join('; '), [s.drug])) {
      notes.push(`${s.medication.name} not added: already among current medicines.`);
      continue;
    }
    const pregnancyNote = ctx.pregnancy === 'not_pregnant' ? undefined : s.pregnancyNote;
    const noteText = [s.medication.notes, pregnancyNote].filter(Boolean).join(' ');
    medications.push({ ...s.medication, ...(noteText ? { notes: noteText } : {}) });
  }
  return { medications, notes };
}

/** Drops advice lines that name an excluded drug, so free text cannot reintroduce one. */
export function withoutExcludedDrugs(
  lines: readonly string[],
  safety: MedicationSafety,
): { kept: string[]; dropped: number } {
  if (safety.excludedTerms.length === 0) return { kept: [...lines], dropped: 0 };
  const kept = lines.filter((line) => !mentionsAny(line, safety.excludedTerms));
  return { kept, dropped: lines.length - kept.length };
}
