import type { FastifySchemaCompiler } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  adaptDiagnosisRequest,
  adaptStructuredRequest,
  toLegacyDiagnosisResponse,
  toStructuredResponse,
  validateSymptoms,
} from './adapters.ts';
import { parseDiagnosisBody, parseStructuredBody, parseSymptomList, unwrap } from './parse.ts';
import {
  FastApiError,
  FastApiValidationError,
  LegacyDiagnosisBody,
  LegacyDiagnosisResponse,
  StructuredBody,
  StructuredResponse,
  ValidateSymptomsBody,
  ValidateSymptomsResponse,
} from './schemas.ts';
import { abortOnClientGone } from '../http/abort-on-close.ts';

// Bodies are validated in the handlers, which know whether the client wrapped them and so which
// `loc` FastAPI would have reported; the body schemas are still given for the OpenAPI document.
const documentOnly: FastifySchemaCompiler<unknown> = () => (data: unknown) => ({ value: data });

const errors = {
  401: FastApiError,
  403: FastApiError,
  413: FastApiError,
  415: FastApiError,
  422: FastApiValidationError,
  429: FastApiError,
  503: FastApiError,
};
const security: Array<Record<string, string[]>> = [{ apiKey: [] }, { bearer: [] }];

const diagnosisRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/diagnosis/',
    {
      onRequest: app.authenticate,
      config: { diagnosisRoute: true },
      validatorCompiler: documentOnly,
      schema: {
        tags: ['legacy'],
        summary: 'Legacy call A: diagnosis from 1–3 symptoms (Python service compatible)',
        description:
          'confidence_score carries the triage: below 0.5 means emergency (with a high-priority investigation); ' +
          'see "Migrating from the Python agent" in the README for the mapping.',
        security,
        body: LegacyDiagnosisBody,
        response: { 200: LegacyDiagnosisResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { data } = parseDiagnosisBody(request.body);
      const adapted = adaptDiagnosisRequest(data, unwrap(request.body, 'diagnosis_request').loc);
      const outcome = await app.diagnosis.diagnose(adapted.canonical, abortOnClientGone(reply));
      request.diagnosisOutcome = outcome;
      const mustNotMiss = outcome.redFlags.fired.flatMap((rule) => rule.mustNotMiss);
      return toLegacyDiagnosisResponse(outcome.response, adapted, mustNotMiss);
    },
  );

  app.post(
    '/diagnosis/structure',
    {
      onRequest: app.authenticate,
      config: { diagnosisRoute: true },
      validatorCompiler: documentOnly,
      schema: {
        tags: ['legacy'],
        summary: 'Legacy call B: structured assessment (Python service compatible)',
        description:
          'risk_assessment.urgency_level carries the triage (emergency levels → urgent). Medicines respect ' +
          'medical_context.allergies and pregnancy.',
        security,
        body: StructuredBody,
        response: { 200: StructuredResponse, ...errors },
      },
    },
    async (request, reply) => {
      const { data } = parseStructuredBody(request.body);
      const adapted = adaptStructuredRequest(data, unwrap(request.body, 'structured_request').loc);
      const outcome = await app.diagnosis.diagnose(adapted.canonical, abortOnClientGone(reply));
      request.diagnosisOutcome = outcome;
      return toStructuredResponse(outcome.response, data, adapted);
    },
  );

  app.post(
    '/diagnosis/validate',
    {
      onRequest: app.authenticate,
      validatorCompiler: documentOnly,
      schema: {
        tags: ['legacy'],
        summary: 'Legacy: check symptom strings against the call A rule (2–100 characters)',
        security,
        body: ValidateSymptomsBody,
        response: { 200: ValidateSymptomsResponse, ...errors },
      },
    },
    async (request) => validateSymptoms(parseSymptomList(request.body)),
  );
};

export default diagnosisRoutes;
