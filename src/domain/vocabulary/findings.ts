import { memoOn } from '../memo.ts';
import type { DiagnoseRequest } from '../schemas/diagnose.ts';
import type { ConceptId } from './concepts/index.ts';
import type { Understanding } from './coverage.ts';
import { CONCEPT_LABELS, matchConcepts, type MatchInput } from './matcher.ts';

/**
 * Findings are what the rules and the knowledge base reason over: concepts recognised in the text,
 * plus findings derived from the structured fields (vitals, pregnancy and menopausal status, age,
 * onset, severity, duration).
 */

/** Thresholds for findings derived from vitals; shared with the red-flag rules and their tests. */
export const VITAL_THRESHOLDS = {
  feverC: 38,
  hypothermiaC: 36,
  tachycardiaBpm: 100,
  severeTachycardiaBpm: 120,
  hypotensionSystolic: 90,
  hypertensionSystolic: 140,
  hypertensionDiastolic: 90,
  severeHypertensionSystolic: 160,
  severeHypertensionDiastolic: 110,
  hypoxiaSaturation: 94,
  tachypnoeaRate: 22,
} as const;

export const DERIVED_FINDING_LABELS = {
  hypothermia: 'temperature below 36 °C',
  tachycardia: 'pulse above 100',
  severe_tachycardia: 'pulse above 120',
  hypotension: 'systolic blood pressure below 90',
  hypertension: 'blood pressure 140/90 or higher',
  severe_hypertension: 'blood pressure 160/110 or higher',
  hypoxia: 'oxygen saturation below 94%',
  tachypnoea: 'breathing rate 22 or more a minute',
  pregnant: 'pregnant',
  possibly_pregnant: 'could be pregnant (status unknown, of reproductive age)',
  not_pregnant: 'not pregnant',
  postpartum: 'recently given birth',
  postmenopausal: 'postmenopausal',
  perimenopausal: 'perimenopausal',
  premenopausal: 'premenopausal',
  gestation_first_trimester: 'first trimester (under 14 weeks)',
  gestation_14_plus: '14 weeks pregnant or more',
  gestation_under_20: 'under 20 weeks pregnant',
  gestation_20_plus: '20 weeks pregnant or more',
  gestation_24_plus: '24 weeks pregnant or more',
  gestation_preterm: 'preterm (20 to under 37 weeks)',
  gestation_term: 'term (37 weeks or more)',
  age_under_20: 'age under 20',
  age_under_25: 'age under 25',
  age_under_40: 'age under 40',
  age_40_plus: 'age 40 or over',
  age_45_plus: 'age 45 or over',
  age_50_plus: 'age 50 or over',
  age_60_plus: 'age 60 or over',
  onset_sudden: 'sudden onset',
  onset_gradual: 'gradual onset',
  onset_chronic: 'long-standing symptoms',
  severity_mild: 'mild symptoms',
  severity_moderate: 'moderate symptoms',
  severity_severe: 'severe symptoms',
  duration_under_2_days: 'started within the last 2 days',
  duration_3_weeks_plus: 'present for 3 weeks or more',
} as const;

export type DerivedFindingId = keyof typeof DERIVED_FINDING_LABELS;
export type FindingId = ConceptId | DerivedFindingId;

export interface Findings {
  readonly present: ReadonlySet<FindingId>;
  /** Explicitly denied and not affirmed elsewhere ("no fever"). */
  readonly negated: ReadonlySet<FindingId>;
  /** Acute findings mentioned only as past episodes; they do not count as present. */
  readonly history: ReadonlySet<FindingId>;
  readonly gestationalWeeks: number | undefined;
  /** How much of the complaint text (symptoms, notes) the vocabulary understood. */
  readonly understanding: Understanding;
}

const LABELS: ReadonlyMap<FindingId, string> = new Map<FindingId, string>([
  ...CONCEPT_LABELS,
  ...(Object.entries(DERIVED_FINDING_LABELS) as [DerivedFindingId, string][]),
]);

export function findingLabel(id: FindingId): string {
  return LABELS.get(id) ?? id.replaceAll('_', ' ');
}

const DURATION = /(\d+(?:\.\d+)?|a|an|one|two|few|several)\s*(min|hour|hr|day|week|wk|month|year|yr)/i;
const UNIT_DAYS: Record<string, number> = {
  min: 1 / 1440,
  hour: 1 / 24,
  hr: 1 / 24,
  day: 1,
  week: 7,
  wk: 7,
  month: 30,
  year: 365,
  yr: 365,
};
const WORD_COUNT: Record<string, number> = { a: 1, an: 1, one: 1, two: 2, few: 3, several: 4 };

/** "3 days" → 3; "2 weeks" → 14; unparseable → undefined. */
export function durationInDays(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const count = WORD_COUNT[m[1]!.toLowerCase()] ?? Number(m[1]);
  const unit = UNIT_DAYS[m[2]!.toLowerCase()];
  return unit === undefined || !Number.isFinite(count) ? undefined : count * unit;
}

/**
 * Every free-text field, read with its meaning: symptoms, notes and duration describe the current
 * complaint ("since my waters went"), medications are taken now, medical history and allergies list
 * past conditions (an acute finding there counts only when the text says it is happening now), and
 * a medicine named under allergies is not being taken.
 * Coverage is measured on what the patient wrote about the complaint: symptoms and notes.
 */
function* requestTexts(request: DiagnoseRequest): Iterable<MatchInput> {
  for (const text of request.symptoms) yield { text, mode: 'current', scored: true };
  if (request.notes) yield { text: request.notes, mode: 'current', scored: true };
  if (request.duration) yield { text: request.duration, mode: 'current', scored: false };
  for (const text of request.medications ?? []) yield { text, mode: 'current', scored: false };
  for (const text of request.medical_history ?? []) yield { text, mode: 'history', scored: false };
  for (const text of request.allergies ?? []) yield { text, mode: 'allergy', scored: false };
}

export function extractFindings(request: DiagnoseRequest): Findings {
  const { present: text, negated: denied, history, understanding } = matchConcepts(requestTexts(request));
  const present = new Set<FindingId>(text);
  const denials = new Set<FindingId>(denied);
  // An explicit interview answer wins over what the free text suggested; "unknown" changes nothing.
  for (const { id, choice } of request.evidence ?? []) {
    const finding = id as FindingId;
    if (choice === 'present') {
      present.add(finding);
      denials.delete(finding);
    } else if (choice === 'absent') {
      present.delete(finding);
      denials.add(finding);
    }
  }
  // A girl whose periods have not started has no period to miss (NICE CKS: Amenorrhoea, primary).
  if (present.has('premenarche')) present.delete('missed_period');
  const add = (id: FindingId, when: boolean) => {
    if (when) present.add(id);
  };

  const v = request.vitals ?? {};
  const T = VITAL_THRESHOLDS;
  add('fever', v.temperature_c !== undefined && v.temperature_c >= T.feverC);
  add('hypothermia', v.temperature_c !== undefined && v.temperature_c < T.hypothermiaC);
  add('tachycardia', v.heart_rate_bpm !== undefined && v.heart_rate_bpm > T.tachycardiaBpm);
  add('severe_tachycardia', v.heart_rate_bpm !== undefined && v.heart_rate_bpm > T.severeTachycardiaBpm);
  add('hypotension', v.systolic_bp !== undefined && v.systolic_bp < T.hypotensionSystolic);
  const severeBp =
    (v.systolic_bp ?? 0) >= T.severeHypertensionSystolic ||
    (v.diastolic_bp ?? 0) >= T.severeHypertensionDiastolic;
  add('severe_hypertension', severeBp);
  add(
    'hypertension',
    severeBp ||
      (v.systolic_bp ?? 0) >= T.hypertensionSystolic ||
      (v.diastolic_bp ?? 0) >= T.hypertensionDiastolic,
  );
  add('hypoxia', v.oxygen_saturation !== undefined && v.oxygen_saturation < T.hypoxiaSaturation);
  add('tachypnoea', v.respiratory_rate !== undefined && v.respiratory_rate >= T.tachypnoeaRate);

  const {
    age,
    pregnancy_status: status,
    menopausal_status: menopause,
    gestational_weeks: weeks,
  } = request.patient;
  // A positive test outweighs an "unknown" status: the patient may not have updated it.
  const pregnant =
    status === 'pregnant' || (status !== 'postpartum' && present.has('positive_pregnancy_test'));
  const postpartum = status === 'postpartum' || (!pregnant && present.has('recent_birth'));
  // Without a stated status, most women are postmenopausal by 55 (NICE NG23 uses 45+ with symptoms).
  const postmenopausal =
    menopause === 'postmenopausal' ||
    (menopause === 'unknown' && (age >= 55 || present.has('menopause_text')));
  add('pregnant', pregnant);
  add('postpartum', postpartum);
  // A late period reopens a declared "not pregnant" (sterilisation and contraception fail; NICE CKS
  // Amenorrhoea and NICE NG126: exclude pregnancy in anyone of reproductive age with a missed period).
  const statusInDoubt = status === 'unknown' || (status === 'not_pregnant' && present.has('missed_period'));
  add('not_pregnant', !pregnant && !postpartum && status === 'not_pregnant' && !statusInDoubt);
  add(
    'possibly_pregnant',
    !pregnant && !postpartum && statusInDoubt && age >= 12 && age <= 55 && !postmenopausal,
  );
  add('postmenopausal', postmenopausal);
  add('perimenopausal', menopause === 'perimenopausal');
  add('premenopausal', menopause === 'premenopausal');
  add('postmenopausal_bleeding', postmenopausal && present.has('vaginal_bleeding'));

  if (pregnant && weeks !== undefined) {
    add('gestation_first_trimester', weeks < 14);
    add('gestation_14_plus', weeks >= 14);
    add('gestation_under_20', weeks < 20);
    add('gestation_20_plus', weeks >= 20);
    add('gestation_24_plus', weeks >= 24);
    add('gestation_preterm', weeks >= 20 && weeks < 37);
    add('gestation_term', weeks >= 37);
  }

  add('age_under_20', age < 20);
  add('age_under_25', age < 25);
  add('age_under_40', age < 40);
  add('age_40_plus', age >= 40);
  add('age_45_plus', age >= 45);
  add('age_50_plus', age >= 50);
  add('age_60_plus', age >= 60);

  if (request.onset) add(`onset_${request.onset}`, true);
  if (request.severity) add(`severity_${request.severity}`, true);
  const days = durationInDays(request.duration);
  add('duration_under_2_days', days !== undefined && days < 2);
  add('duration_3_weeks_plus', days !== undefined && days >= 21);
  add('persistent_symptoms', days !== undefined && days >= 21);

  const negated = new Set<FindingId>([...denials].filter((id) => !present.has(id)));
  return { present, negated, history, gestationalWeeks: pregnant ? weeks : undefined, understanding };
}

const FINDINGS = Symbol('findings');

/** extractFindings, memoised per request object: the rules and the knowledge base both need them. */
export function findingsFor(request: DiagnoseRequest): Findings {
  return memoOn(FINDINGS, request, extractFindings);
}
