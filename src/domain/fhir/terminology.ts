import type { CodeSystem, Coding } from '@medplum/fhirtypes';
import { TRIAGE_LEVELS, type TriageLevel } from '../triage.ts';

/**
 * Canonical base of the service's own FHIR artefacts. A constant, not configuration: a code system's URI is its
 * identity, so every deployment must send the same one or EHRs could not map the codes once for all.
 */
export const CANONICAL_BASE = 'https://tenderly.health/fhir';
export const TRIAGE_LEVEL_SYSTEM = `${CANONICAL_BASE}/CodeSystem/triage-level`;

/** External systems, each checked against the HL7 specification data by test/domain/fhir/terminology.test.ts. */
export const SYSTEM = {
  icd10cm: 'http://hl7.org/fhir/sid/icd-10-cm',
  loinc: 'http://loinc.org',
  ucum: 'http://unitsofmeasure.org',
  conditionVerStatus: 'http://terminology.hl7.org/CodeSystem/condition-ver-status',
  observationCategory: 'http://terminology.hl7.org/CodeSystem/observation-category',
  dataAbsentReason: 'http://terminology.hl7.org/CodeSystem/data-absent-reason',
  provenanceParticipantType: 'http://terminology.hl7.org/CodeSystem/provenance-participant-type',
  v3ObservationValue: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue',
} as const;

export const DIFFERENTIAL: Coding = {
  system: SYSTEM.conditionVerStatus,
  code: 'differential',
  display: 'Differential',
};
export const VITAL_SIGNS: Coding = {
  system: SYSTEM.observationCategory,
  code: 'vital-signs',
  display: 'Vital Signs',
};
export const UNKNOWN_VALUE: Coding = { system: SYSTEM.dataAbsentReason, code: 'unknown', display: 'Unknown' };
export const AUTHOR: Coding = { system: SYSTEM.provenanceParticipantType, code: 'author', display: 'Author' };
/** HL7's security label for content asserted by clinical decision support or machine learning. */
export const AI_ASSERTED: Coding = {
  system: SYSTEM.v3ObservationValue,
  code: 'AIAST',
  display: 'Artificial Intelligence asserted',
};

const TRIAGE_CONCEPTS: Record<TriageLevel, { display: string; definition: string }> = {
  emergency_ambulance: {
    display: 'Call an ambulance',
    definition: 'Emergency care is needed now and the patient should be transported by ambulance.',
  },
  emergency: {
    display: 'Emergency department now',
    definition: 'Emergency assessment in hospital is needed now; the patient may travel there herself.',
  },
  consultation_24: {
    display: 'Consultation within 24 hours',
    definition: 'A clinician should assess the patient within 24 hours.',
  },
  consultation: {
    display: 'Consultation',
    definition: 'A clinician should assess the patient at a booked appointment in the next days.',
  },
  self_care: {
    display: 'Self-care',
    definition: 'Self-care is enough for now; see a clinician if symptoms persist or worsen.',
  },
};

/** The five triage levels as a FHIR CodeSystem, most urgent first (Infermedica's levels). */
export const TRIAGE_LEVEL_CODE_SYSTEM: CodeSystem = {
  resourceType: 'CodeSystem',
  id: 'triage-level',
  url: TRIAGE_LEVEL_SYSTEM,
  version: '1',
  name: 'TenderlyTriageLevel',
  title: 'Tenderly triage levels',
  status: 'active',
  experimental: false,
  description: 'How urgently a patient should be seen, most urgent first.',
  caseSensitive: true,
  content: 'complete',
  count: TRIAGE_LEVELS.length,
  concept: TRIAGE_LEVELS.map((code) => ({ code, ...TRIAGE_CONCEPTS[code] })),
};

export function triageCoding(level: TriageLevel): Coding {
  return { system: TRIAGE_LEVEL_SYSTEM, code: level, display: TRIAGE_CONCEPTS[level].display };
}
