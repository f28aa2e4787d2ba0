import { describe, expect, it } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { toFhirBundle } from '../../../src/domain/fhir/bundle.ts';
import { diagnoseResponse } from '../../support/responses.ts';
import { bundleProblems } from '../../support/fhir-validator.ts';

/**
 * The check the FHIR tests rely on must be able to fail: each break below is one R4 rule. Medplum checks neither
 * required value-set bindings nor fixed Quantity units in profiles: the first are compile-time checked by the
 * @medplum/fhirtypes unions the mapping is typed with, the second by terminologyProblems (terminology.test.ts).
 */
const RESPONSE = diagnoseResponse({
  id: '3f0e3f53-6d7e-4b8e-8c1a-6f0b8f1f2a10',
  created_at: '2026-11-28T10:00:00.000Z',
  triage: { level: 'consultation', red_flags: [], rationale: 'Lower genital tract infection.' },
  differential: [
    {
      condition: 'Vulvovaginal candidiasis',
      icd10: 'B37.31',
      probability: 0.6,
      rationale: 'Itch and thick white discharge.',
      supporting_findings: ['itch'],
      recommended_investigations: [],
    },
  ],
});

function valid(): Bundle {
  return toFhirBundle({
    response: RESPONSE,
    vitals: { heart_rate_bpm: 88, oxygen_saturation: 98 },
    serviceVersion: '1',
  });
}

function edit(change: (resources: Array<Record<string, unknown>>) => void): Bundle {
  const bundle = structuredClone(valid());
  change((bundle.entry ?? []).map((e) => e.resource as unknown as Record<string, unknown>));
  return bundle;
}

function byType(resources: Array<Record<string, unknown>>, type: string): Record<string, unknown> {
  const found = resources.find((r) => r.resourceType === type);
  if (!found) throw new Error(`no ${type}`);
  return found;
}

describe('the R4 validator used by the FHIR tests', () => {
  it('accepts the unbroken bundle', () => {
    expect(bundleProblems(valid())).toEqual([]);
  });

  const breaks: Array<[string, (r: Array<Record<string, unknown>>) => void, RegExp]> = [
    [
      'a required element missing (Condition.subject, 1..1)',
      (r) => delete byType(r, 'Condition').subject,
      /Condition|subject/i,
    ],
    [
      'a required element missing (Provenance.recorded)',
      (r) => delete byType(r, 'Provenance').recorded,
      /recorded/,
    ],
    [
      'too many values (RiskAssessment.status is 0..1 of one code)',
      (r) => (byType(r, 'RiskAssessment').status = ['final', 'final']),
      /status/,
    ],
    [
      'a choice type that does not exist (probabilityString)',
      (r) => {
        const ra = r.filter((x) => x.resourceType === 'RiskAssessment')[1] as {
          prediction: Array<Record<string, unknown>>;
        };
        ra.prediction[0] = { ...ra.prediction[0], probabilityString: 'high' };
      },
      /probabilityString|invalid additional property/i,
    ],
    [
      'two values for one choice element (probabilityDecimal and probabilityRange)',
      (r) => {
        const ra = r.filter((x) => x.resourceType === 'RiskAssessment')[1] as {
          prediction: Array<Record<string, unknown>>;
        };
        ra.prediction[0] = { ...ra.prediction[0], probabilityRange: { low: { value: 1 } } };
      },
      /probability/i,
    ],
    [
      'an invariant broken (ras-2: a probability over 100)',
      (r) => {
        const ra = r.filter((x) => x.resourceType === 'RiskAssessment')[1] as {
          prediction: Array<Record<string, unknown>>;
        };
        ra.prediction[0] = { ...ra.prediction[0], probabilityDecimal: 150 };
      },
      /ras-2/,
    ],
    [
      'a wrong primitive type (Observation.valueQuantity.value as a string)',
      (r) => ((byType(r, 'Observation').valueQuantity as Record<string, unknown>).value = '88'),
      /value/,
    ],
    [
      'an unknown element (Condition.probability)',
      (r) => (byType(r, 'Condition').probability = 0.6),
      /probability/,
    ],
    [
      'a vital sign without the LOINC code its R4 profile requires',
      (r) => {
        const code = byType(r, 'Observation').code as { coding: Array<Record<string, unknown>> };
        code.coding[0] = { ...code.coding[0], code: '8867-5' };
      },
      /heartrate|HeartRateCode/,
    ],
    [
      'a reference to the wrong kind of resource (ClinicalImpression.prognosisReference to a Condition)',
      (r) => {
        const impression = byType(r, 'ClinicalImpression') as {
          prognosisReference: unknown[];
          finding: unknown[];
        };
        impression.prognosisReference[0] = (
          impression.finding[0] as { itemReference: unknown }
        ).itemReference;
      },
      /prognosisReference.*reference to Condition/,
    ],
    [
      'a dangling reference (subject to an entry that is not in the bundle)',
      (r) =>
        (byType(r, 'Condition').subject = { reference: 'urn:uuid:00000000-0000-4000-8000-000000000000' }),
      /reference to nothing/,
    ],
  ];

  it.each(breaks)('rejects %s', (_name, change, pattern) => {
    const problems = bundleProblems(edit(change));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.join('\n')).toMatch(pattern);
  });
});
