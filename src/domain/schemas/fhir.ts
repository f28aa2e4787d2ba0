import { z } from 'zod';

/** The FHIR answer, described for OpenAPI only loosely: its resources are defined by FHIR R4 (see docs/fhir.md). */
export const FhirBundle = z
  .looseObject({
    resourceType: z.literal('Bundle'),
    id: z.uuid().describe('The same id as the JSON answer'),
    identifier: z.looseObject({ system: z.string(), value: z.string() }),
    type: z.literal('collection'),
    timestamp: z.iso.datetime(),
    entry: z.array(
      z.looseObject({
        fullUrl: z.string().describe('urn:uuid:…'),
        resource: z.looseObject({
          resourceType: z.enum([
            'ClinicalImpression',
            'RiskAssessment',
            'Condition',
            'Observation',
            'Patient',
            'Device',
            'Provenance',
          ]),
        }),
      }),
    ),
  })
  .meta({
    id: 'FhirBundle',
    description:
      'A FHIR R4 Bundle of type collection: ClinicalImpression, triage and differential RiskAssessments, one Condition per differential item, vital-sign Observations, the subject Patient (anonymous unless `subject` was sent), the engine as a Device and a Provenance. Mapping: docs/fhir.md.',
  });
