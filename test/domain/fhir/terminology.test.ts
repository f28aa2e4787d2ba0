import { describe, expect, it } from 'vitest';
import type { Bundle, Observation } from '@medplum/fhirtypes';
import { toFhirBundle } from '../../../src/domain/fhir/bundle.ts';
import { diagnoseResponse } from '../../support/responses.ts';
import {
  SYSTEM,
  TRIAGE_LEVEL_CODE_SYSTEM,
  TRIAGE_LEVEL_SYSTEM,
} from '../../../src/domain/fhir/terminology.ts';
import { TRIAGE_LEVELS } from '../../../src/domain/triage.ts';
import { PREFERRED_URI, profileValueProblems, terminologyProblems } from '../../support/fhir-terminology.ts';
import { fhirErrors } from '../../support/fhir-validator.ts';

const RESPONSE = diagnoseResponse({
  id: '9a2b1d1e-0f7b-4f0e-9a55-5e4c3b2a1f00',
  created_at: '2026-11-28T10:00:00.000Z',
  triage: {
    level: 'emergency_ambulance',
    red_flags: [{ id: 'sepsis-signs', description: 'Signs of sepsis', level: 'emergency_ambulance' }],
    rationale: 'Fever, fast heart rate and low blood pressure after a birth.',
  },
  differential: [
    {
      condition: 'Sepsis',
      icd10: 'A41.9',
      probability: 0.8,
      rationale: 'Fever with tachycardia.',
      supporting_findings: ['fever'],
      recommended_investigations: [],
    },
  ],
});

const ALL_VITALS = {
  temperature_c: 38.9,
  heart_rate_bpm: 124,
  respiratory_rate: 24,
  systolic_bp: 88,
  diastolic_bp: 52,
  oxygen_saturation: 93,
};

function observations(bundle: Bundle): Observation[] {
  return (bundle.entry ?? [])
    .map((e) => e.resource)
    .filter((r): r is Observation => r?.resourceType === 'Observation');
}

describe('FHIR terminology, checked against the specification data', () => {
  it('uses the URIs HL7 names as preferred for ICD-10-CM, LOINC and UCUM', () => {
    expect(PREFERRED_URI).toEqual({
      icd10cm: SYSTEM.icd10cm,
      loinc: SYSTEM.loinc,
      ucum: SYSTEM.ucum,
    });
  });

  it('uses only codes and displays the specification defines (every vital sign sent)', () => {
    const bundle = toFhirBundle({ response: RESPONSE, vitals: ALL_VITALS, serviceVersion: '1' });
    expect(observations(bundle)).toHaveLength(5);
    expect(terminologyProblems(bundle)).toEqual([]);
  });

  it('sends each vital sign with the LOINC code and UCUM unit its R4 vital-signs profile fixes', () => {
    const bundle = toFhirBundle({ response: RESPONSE, vitals: ALL_VITALS, serviceVersion: '1' });
    const claimed = observations(bundle).map((o) => o.meta?.profile?.[0]);
    expect(claimed).toEqual([
      'http://hl7.org/fhir/StructureDefinition/heartrate',
      'http://hl7.org/fhir/StructureDefinition/resprate',
      'http://hl7.org/fhir/StructureDefinition/bodytemp',
      'http://hl7.org/fhir/StructureDefinition/oxygensat',
      'http://hl7.org/fhir/StructureDefinition/bp',
    ]);
    expect(observations(bundle).flatMap(profileValueProblems)).toEqual([]);
  });

  it('notices a wrong code, display or unit (so the checks can fail)', () => {
    const bundle = toFhirBundle({ response: RESPONSE, vitals: ALL_VITALS, serviceVersion: '1' });
    const [heartRate, , temperature, , bp] = observations(bundle);
    if (!heartRate?.code.coding?.[0] || !temperature?.valueQuantity || !bp?.component?.[1]?.valueQuantity) {
      throw new Error('missing observations');
    }
    heartRate.code.coding[0].display = 'Pulse';
    temperature.valueQuantity.code = 'degC';
    bp.component[1].valueQuantity.code = 'mmHg';
    expect(terminologyProblems(bundle)).toEqual([
      'http://loinc.org|8867-4|Pulse: display should be "Heart rate"',
      'http://unitsofmeasure.org|degC: not a UCUM vital-signs unit',
      'http://unitsofmeasure.org|mmHg: not a UCUM vital-signs unit',
    ]);
    heartRate.code.coding[0].code = '8867-5';
    expect(profileValueProblems(heartRate)).toHaveLength(1);
    expect(profileValueProblems(bp)).toEqual([]); // systolic still in mm[Hg]…
    bp.component[0]!.valueQuantity!.code = 'mmHg'; // …not any more
    expect(profileValueProblems(bp)).toHaveLength(2);
  });

  it("publishes the five triage levels as a valid R4 CodeSystem under the service's canonical base", () => {
    expect(fhirErrors(TRIAGE_LEVEL_CODE_SYSTEM)).toEqual([]);
    expect(TRIAGE_LEVEL_CODE_SYSTEM.url).toBe(TRIAGE_LEVEL_SYSTEM);
    expect(TRIAGE_LEVEL_CODE_SYSTEM.concept?.map((c) => c.code)).toEqual([...TRIAGE_LEVELS]);
    expect(TRIAGE_LEVEL_CODE_SYSTEM.concept?.every((c) => c.display && c.definition)).toBe(true);
  });
});
