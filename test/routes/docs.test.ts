import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

describe('API docs', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t.app.close());

  it('serves an OpenAPI 3 document generated from the zod schemas', async () => {
    const res = await t.app.inject('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    const op = doc.paths['/v1/diagnose'].post;
    expect(op.security).toEqual([{ apiKey: [] }, { bearer: [] }]);
    const schemas = doc.components.schemas;
    expect(schemas.DiagnoseRequest.required).toEqual(expect.arrayContaining(['patient', 'symptoms']));
    expect(schemas.DiagnoseRequest.additionalProperties).toBe(false);
    expect(schemas.DiagnoseRequest.examples?.length ?? schemas.DiagnoseRequest.example).toBeTruthy();
    const answer = schemas.DiagnoseResponse;
    expect(answer.required).toEqual(expect.arrayContaining(['unrecognized', 'coverage']));
    expect(answer.properties.unrecognized.description).toMatch(/could not map/);
    expect(answer.properties.coverage).toMatchObject({ minimum: 0, maximum: 1 });
    expect(answer.properties.coverage.description).toMatch(/self_care/);
    expect(Object.keys(op.responses)).toEqual(
      expect.arrayContaining(['200', '400', '401', '429', '503', '504']),
    );
  });

  it('documents both answers of /v1/diagnose (JSON and FHIR R4), the 406 and the subject field', async () => {
    const doc = (await t.app.inject('/docs/json')).json();
    const op = doc.paths['/v1/diagnose'].post;
    expect(op.responses['200'].content).toEqual({
      'application/json': { schema: { $ref: '#/components/schemas/DiagnoseResponse' } },
      'application/fhir+json': { schema: { $ref: '#/components/schemas/FhirBundle' } },
    });
    expect(op.description).toContain('application/fhir+json');
    expect(op.responses['406'].content['application/json']).toBeDefined();
    expect(
      doc.components.schemas.FhirBundle.properties.resourceType.enum ?? [
        doc.components.schemas.FhirBundle.properties.resourceType.const,
      ],
    ).toEqual(['Bundle']);
    const request = doc.components.schemas.DiagnoseRequestInput ?? doc.components.schemas.DiagnoseRequest;
    expect(request.properties.subject.type).toBe('string');
  });

  it('documents the text normalisation, the model-output rules and the size bound', async () => {
    const schemas = (await t.app.inject('/docs/json')).json().components.schemas;
    for (const field of ['symptoms', 'notes', 'duration', 'medical_history', 'medications', 'allergies']) {
      expect(JSON.stringify(schemas.DiagnoseRequestInput.properties[field]), field).toMatch(/NFKC/);
    }
    expect(schemas.DiagnoseResponse.description).toMatch(/At most 16384 bytes/);
    expect(schemas.DiagnoseResponse.properties.advice.description).toMatch(/contradicts/);
    expect(JSON.stringify(schemas.DiagnoseResponse.properties.differential)).toMatch(/catalog's name/);
    expect(schemas.LegacyDiagnosisResponse.description).toMatch(/At most 16384 bytes/);
    expect(schemas.LegacyStructuredResponse.description).toMatch(/At most 16384 bytes/);
  });

  it('serves the Swagger UI', async () => {
    const page = await t.app.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('swagger-ui');
    // The UI gets a CSP that lets its own scripts run; the API keeps default-src 'none'.
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const api = await t.app.inject('/health/live');
    expect(api.headers['content-security-policy']).toContain("default-src 'none'");
  });
});
