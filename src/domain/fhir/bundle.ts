import { randomUUID } from 'node:crypto';
import type {
  Annotation,
  Bundle,
  BundleEntry,
  ClinicalImpression,
  Condition,
  Device,
  Patient,
  Provenance,
  Reference,
  Resource,
  RiskAssessment,
} from '@medplum/fhirtypes';
import { ICD10_CATALOG } from '../icd10/catalog.ts';
import type { DiagnoseRequest, DiagnoseResponse, DifferentialItem } from '../schemas/diagnose.ts';
import { AI_ASSERTED, AUTHOR, DIFFERENTIAL, SYSTEM, triageCoding } from './terminology.ts';
import { vitalObservations } from './vitals.ts';

export interface FhirBundleInput {
  response: DiagnoseResponse;
  /** The vitals the client sent, recorded as Observations. */
  vitals?: DiagnoseRequest['vitals'];
  /** The client's own Patient reference; without it the bundle carries an anonymous Patient. */
  subject?: string | undefined;
  serviceVersion: string;
}

interface Entry<T extends Resource> {
  ref: Reference<T>;
  entry: BundleEntry;
}

function entry<T extends Resource>(resource: T): Entry<T> {
  const fullUrl = `urn:uuid:${randomUUID()}`;
  return { ref: { reference: fullUrl }, entry: { fullUrl, resource } };
}

/** FHIR strings may not be empty: blank texts are left out rather than sent as "". */
function notes(...texts: Array<string | undefined>): Annotation[] | undefined {
  const kept = texts.filter((t): t is string => typeof t === 'string' && t.trim() !== '');
  return kept.length > 0 ? kept.map((text) => ({ text })) : undefined;
}

function nonEmpty(items: string[]): string[] {
  return items.filter((s) => s.trim() !== '');
}

/** R4 expresses RiskAssessment probabilities as percentages (ras-2: at most 100), one decimal kept. */
function percent(probability: number): number {
  return Math.round(probability * 1000) / 10;
}

function conditionCode(item: DifferentialItem): Condition['code'] {
  const display = ICD10_CATALOG.get(item.icd10)?.title ?? item.condition;
  return { coding: [{ system: SYSTEM.icd10cm, code: item.icd10, display }], text: item.condition };
}

const aiAsserted = { security: [AI_ASSERTED] };

/**
 * The diagnosis as a FHIR R4 collection Bundle: a ClinicalImpression tying together a triage RiskAssessment, one
 * differential Condition per item (probabilities in a second RiskAssessment), the vitals sent as Observations,
 * the subject, and a Provenance naming the engine. The mapping and its reasons are in docs/fhir.md.
 */
export function toFhirBundle(input: FhirBundleInput): Bundle {
  const { response } = input;
  const at = response.created_at;

  const patient = input.subject ? null : entry<Patient>({ resourceType: 'Patient', gender: 'female' });
  const subject: Reference<Patient> = patient ? patient.ref : { reference: input.subject, type: 'Patient' };

  const observations = vitalObservations(input.vitals, subject, at).map((o) => entry(o));

  const conditions = response.differential.map((item) =>
    entry<Condition>({
      resourceType: 'Condition',
      meta: aiAsserted,
      verificationStatus: { coding: [DIFFERENTIAL], text: 'Differential' },
      code: conditionCode(item),
      subject,
      recordedDate: at,
      evidence: nonEmpty(item.supporting_findings).map((finding) => ({ code: [{ text: finding }] })),
      note: notes(item.rationale),
    }),
  );

  const triage = triageCoding(response.triage.level);
  const triageAssessment = entry<RiskAssessment>({
    resourceType: 'RiskAssessment',
    meta: aiAsserted,
    status: 'final',
    code: { text: 'Triage' },
    subject,
    occurrenceDateTime: at,
    basis: observations.length > 0 ? observations.map((o) => o.ref) : undefined,
    prediction: [
      {
        outcome: { coding: [triage], text: triage.display },
        rationale: response.triage.rationale.trim() || undefined,
      },
    ],
    note: notes(
      ...response.triage.red_flags.map((f) => `Red flag ${f.id} (${f.level}): ${f.description}`),
      response.disclaimer,
    ),
  });

  const differentialAssessment = entry<RiskAssessment>({
    resourceType: 'RiskAssessment',
    meta: aiAsserted,
    status: 'final',
    code: { text: 'Differential diagnosis' },
    subject,
    occurrenceDateTime: at,
    basis: observations.length > 0 ? observations.map((o) => o.ref) : undefined,
    prediction: response.differential.map((item) => ({
      outcome: conditionCode(item),
      probabilityDecimal: percent(item.probability),
      rationale: item.rationale.trim() || undefined,
    })),
  });

  const impression = entry<ClinicalImpression>({
    resourceType: 'ClinicalImpression',
    meta: aiAsserted,
    status: 'completed',
    description: 'Triage and differential diagnosis of a gynecologic or obstetric complaint',
    subject,
    effectiveDateTime: at,
    date: at,
    summary: [`Triage: ${triage.display}.`, response.triage.rationale.trim()].filter(Boolean).join(' '),
    investigation:
      observations.length > 0
        ? [{ code: { text: 'Vital signs' }, item: observations.map((o) => o.ref) }]
        : undefined,
    finding: response.differential.map((item, i) => ({
      itemReference: conditions[i]?.ref,
      basis: nonEmpty(item.supporting_findings).join('; ') || undefined,
    })),
    prognosisReference: [triageAssessment.ref, differentialAssessment.ref],
    note: notes(
      ...response.recommended_investigations.map(
        (i) => `Recommended investigation (${i.priority} priority): ${i.name}. ${i.reason}`,
      ),
      ...response.advice.map((a) => `Advice: ${a}`),
      // What the service did not understand is for the clinician to read, as in the JSON answer.
      ...response.unrecognized.map((phrase) => `Not understood by the service: "${phrase}"`),
      `Share of the clinical words understood by the service: ${Math.round(response.coverage * 100)}%.`,
      response.disclaimer,
    ),
  });

  const { engine } = response;
  const device = entry<Device>({
    resourceType: 'Device',
    deviceName: [
      { name: 'Tenderly diagnosis service', type: 'user-friendly-name' },
      ...(engine.model ? [{ name: engine.model, type: 'model-name' as const }] : []),
    ],
    version: [{ value: input.serviceVersion }],
    property: [
      { type: { text: 'engine provider' }, valueCode: [{ text: engine.provider }] },
      { type: { text: 'fallback' }, valueCode: [{ text: String(engine.fallback) }] },
    ],
  });

  const produced = [impression, triageAssessment, differentialAssessment, ...conditions];
  const provenance = entry<Provenance>({
    resourceType: 'Provenance',
    target: produced.map((p) => p.ref),
    recorded: at,
    agent: [{ type: { coding: [AUTHOR] }, who: device.ref }],
  });

  return {
    resourceType: 'Bundle',
    id: response.id,
    identifier: { system: 'urn:ietf:rfc:3986', value: `urn:uuid:${response.id}` },
    type: 'collection',
    timestamp: at,
    entry: [...produced, ...observations, ...(patient ? [patient] : []), device, provenance].map(
      (e) => e.entry,
    ),
  };
}
