import { describe, expect, it } from 'vitest';
import type {
  Bundle,
  ClinicalImpression,
  Condition,
  Device,
  Observation,
  Patient,
  Provenance,
  Resource,
  RiskAssessment,
} from '@medplum/fhirtypes';
import { toFhirBundle } from '../../../src/domain/fhir/bundle.ts';
import { TRIAGE_LEVEL_SYSTEM } from '../../../src/domain/fhir/terminology.ts';
import { DISCLAIMER, type DiagnoseResponse } from '../../../src/domain/schemas/diagnose.ts';
import { bundleProblems } from '../../support/fhir-validator.ts';
import { diagnoseResponse } from '../../support/responses.ts';

const RESPONSE: DiagnoseResponse = diagnoseResponse({
  triage: {
    level: 'emergency',
    red_flags: [
      {
        id: 'ectopic-pregnancy-signs',
        description: 'Pain and bleeding in early pregnancy',
        level: 'emergency',
      },
    ],
    rationale: 'Early pregnancy with pain and bleeding.',
  },
  differential: [
    {
      condition: 'Ectopic pregnancy',
      icd10: 'O00.90',
      probability: 0.714,
      rationale: 'Pain, bleeding and shoulder-tip pain at 7 weeks.',
      supporting_findings: ['pelvic pain', 'vaginal bleeding', ''],
      recommended_investigations: ['Serum hCG'],
    },
    {
      condition: 'Threatened miscarriage',
      icd10: 'O20.0',
      probability: 0.2,
      rationale: '',
      supporting_findings: [],
      recommended_investigations: [],
    },
  ],
  recommended_investigations: [{ name: 'Serum hCG', priority: 'high', reason: 'Confirm pregnancy.' }],
  advice: ['Go to the emergency department now.'],
  unrecognized: ['a funny feeling down below'],
  coverage: 0.8,
  engine: { provider: 'openai', model: 'gpt-4o-mini', fallback: true },
});

function resources<T extends Resource>(bundle: Bundle, type: T['resourceType']): T[] {
  return (bundle.entry ?? []).map((e) => e.resource).filter((r): r is T => r?.resourceType === type);
}

function one<T extends Resource>(bundle: Bundle, type: T['resourceType']): T {
  const found = resources<T>(bundle, type);
  expect(found).toHaveLength(1);
  return found[0] as T;
}

function resolve(bundle: Bundle, reference: string | undefined): Resource | undefined {
  return bundle.entry?.find((e) => e.fullUrl === reference)?.resource;
}

describe('toFhirBundle', () => {
  it('maps a diagnosis onto a valid R4 collection bundle', () => {
    const bundle = toFhirBundle({ response: RESPONSE, serviceVersion: '1.2.3' });
    expect(bundleProblems(bundle)).toEqual([]);
    expect(bundle).toMatchObject({
      resourceType: 'Bundle',
      type: 'collection',
      id: RESPONSE.id,
      timestamp: RESPONSE.created_at,
    });
    const urls = bundle.entry?.map((e) => e.fullUrl) ?? [];
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.every((u) => /^urn:uuid:[0-9a-f-]{36}$/.test(u ?? ''))).toBe(true);
  });

  it('records the triage level as the outcome of a RiskAssessment, with red flags and disclaimer as notes', () => {
    const bundle = toFhirBundle({ response: RESPONSE, serviceVersion: '1.2.3' });
    const triage = resources<RiskAssessment>(bundle, 'RiskAssessment').find((r) => r.code?.text === 'Triage');
    expect(triage?.status).toBe('final');
    expect(triage?.occurrenceDateTime).toBe(RESPONSE.created_at);
    expect(triage?.prediction?.[0]?.outcome?.coding).toEqual([
      { system: TRIAGE_LEVEL_SYSTEM, code: 'emergency', display: 'Emergency department now' },
    ]);
    const notes = triage?.note?.map((n) => n.text) ?? [];
    expect(notes.some((n) => n.includes('ectopic-pregnancy-signs'))).toBe(true);
    expect(notes).toContain(DISCLAIMER);
  });

  it('gives one differential Condition per item, with its probability as a percentage in a prediction', () => {
    const bundle = toFhirBundle({ response: RESPONSE, serviceVersion: '1.2.3' });
    const conditions = resources<Condition>(bundle, 'Condition');
    expect(conditions.map((c) => c.code?.coding?.[0]?.code)).toEqual(['O00.90', 'O20.0']);
    expect(conditions[0]?.verificationStatus?.coding?.[0]?.code).toBe('differential');
    expect(conditions[0]?.code?.coding?.[0]?.system).toBe('http://hl7.org/fhir/sid/icd-10-cm');
    expect(conditions[0]?.code?.text).toBe('Ectopic pregnancy');
    // Blank findings and rationales are left out: FHIR strings may not be empty.
    expect(conditions[0]?.evidence?.map((e) => e.code?.[0]?.text)).toEqual([
      'pelvic pain',
      'vaginal bleeding',
    ]);
    expect(conditions[1]?.note).toBeUndefined();
    const differential = resources<RiskAssessment>(bundle, 'RiskAssessment').find(
      (r) => r.code?.text === 'Differential diagnosis',
    );
    expect(
      differential?.prediction?.map((p) => [p.outcome?.coding?.[0]?.code, p.probabilityDecimal]),
    ).toEqual([
      ['O00.90', 71.4],
      ['O20.0', 20],
    ]);
  });

  it('ties everything together in a ClinicalImpression', () => {
    const bundle = toFhirBundle({
      response: RESPONSE,
      vitals: { heart_rate_bpm: 112 },
      serviceVersion: '1.2.3',
    });
    const impression = one<ClinicalImpression>(bundle, 'ClinicalImpression');
    expect(impression.status).toBe('completed');
    expect(impression.summary).toContain('Emergency department now');
    expect(impression.finding?.map((f) => resolve(bundle, f.itemReference?.reference)?.resourceType)).toEqual(
      ['Condition', 'Condition'],
    );
    expect(impression.prognosisReference?.map((r) => resolve(bundle, r.reference)?.resourceType)).toEqual([
      'RiskAssessment',
      'RiskAssessment',
    ]);
    expect(resolve(bundle, impression.investigation?.[0]?.item?.[0]?.reference)?.resourceType).toBe(
      'Observation',
    );
    const notes = impression.note?.map((n) => n.text);
    expect(notes).toContain(DISCLAIMER);
    expect(notes).toContain('Not understood by the service: "a funny feeling down below"');
    expect(notes).toContain('Share of the clinical words understood by the service: 80%.');
  });

  it('names the engine in a Provenance whose agent is a Device', () => {
    const bundle = toFhirBundle({ response: RESPONSE, serviceVersion: '1.2.3' });
    const provenance = one<Provenance>(bundle, 'Provenance');
    const device = resolve(bundle, provenance.agent[0]?.who?.reference) as Device;
    expect(device.resourceType).toBe('Device');
    expect(device.deviceName).toContainEqual({ name: 'gpt-4o-mini', type: 'model-name' });
    expect(device.version).toEqual([{ value: '1.2.3' }]);
    expect(device.property?.map((p) => [p.type.text, p.valueCode?.[0]?.text])).toEqual([
      ['engine provider', 'openai'],
      ['fallback', 'true'],
    ]);
    const targets = provenance.target.map((t) => resolve(bundle, t.reference)?.resourceType);
    expect(targets).toEqual([
      'ClinicalImpression',
      'RiskAssessment',
      'RiskAssessment',
      'Condition',
      'Condition',
    ]);
  });

  it('refers every resource to an anonymous Patient when no subject is given', () => {
    const bundle = toFhirBundle({ response: RESPONSE, vitals: { temperature_c: 38.4 }, serviceVersion: '1' });
    const patient = one<Patient>(bundle, 'Patient');
    expect(patient).toEqual({ resourceType: 'Patient', gender: 'female' });
    const patientUrl = bundle.entry?.find((e) => e.resource === patient)?.fullUrl;
    const subjects = (bundle.entry ?? [])
      .map((e) => e.resource as { subject?: { reference?: string } })
      .filter((r) => 'subject' in r)
      .map((r) => r.subject?.reference);
    expect(subjects.length).toBe(6);
    expect(new Set(subjects)).toEqual(new Set([patientUrl]));
  });

  it("passes the client's subject through and then carries no Patient of its own", () => {
    const subject = 'https://ehr.example/fhir/Patient/abc-123/_history/2';
    const bundle = toFhirBundle({
      response: RESPONSE,
      vitals: { respiratory_rate: 18 },
      subject,
      serviceVersion: '1',
    });
    expect(bundleProblems(bundle)).toEqual([]);
    expect(resources(bundle, 'Patient')).toEqual([]);
    for (const type of ['Condition', 'RiskAssessment', 'ClinicalImpression', 'Observation'] as const) {
      for (const r of resources<Resource & { subject?: { reference?: string } }>(bundle, type)) {
        expect(r.subject).toEqual({ reference: subject, type: 'Patient' });
      }
    }
  });

  it('records blood pressure as one panel, marking the half that was not sent as absent', () => {
    const bundle = toFhirBundle({ response: RESPONSE, vitals: { systolic_bp: 98 }, serviceVersion: '1' });
    expect(bundleProblems(bundle)).toEqual([]);
    const bp = one<Observation>(bundle, 'Observation');
    expect(bp.code.coding?.[0]?.code).toBe('85354-9');
    expect(bp.component?.[0]).toMatchObject({
      code: { coding: [{ code: '8480-6' }] },
      valueQuantity: { value: 98, code: 'mm[Hg]' },
    });
    expect(bp.component?.[1]).toMatchObject({
      code: { coding: [{ code: '8462-4' }] },
      dataAbsentReason: { coding: [{ code: 'unknown' }] },
    });
    expect(bp.component?.[1]?.valueQuantity).toBeUndefined();
  });

  it('leaves out Observations when no vitals were sent', () => {
    const bundle = toFhirBundle({ response: RESPONSE, serviceVersion: '1' });
    expect(resources(bundle, 'Observation')).toEqual([]);
    expect(one<ClinicalImpression>(bundle, 'ClinicalImpression').investigation).toBeUndefined();
  });
});
