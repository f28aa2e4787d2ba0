import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { toFhirBundle } from '../../domain/fhir/bundle.ts';
import { DiagnoseRequest, DiagnoseResponse, ErrorResponse } from '../../domain/schemas/diagnose.ts';
import { FhirBundle } from '../../domain/schemas/fhir.ts';
import { abortOnClientGone } from '../../http/abort-on-close.ts';
import { builtByService } from '../../http/response-serializer.ts';
import {
  FHIR_CONTENT_TYPE,
  FHIR_CONTENT_TYPE_HEADER,
  FHIR_MEDIA_TYPE,
  preferredFormat,
  requireAcceptable,
} from '../../http/negotiate.ts';
import { SERVICE_VERSION } from '../../infra/version.ts';

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  406: ErrorResponse.describe('The Accept header allows neither application/json nor application/fhir+json'),
  413: ErrorResponse,
  415: ErrorResponse,
  429: ErrorResponse,
  502: ErrorResponse,
  503: ErrorResponse,
  504: ErrorResponse,
};

const diagnoseRoute: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/v1/diagnose',
    {
      // Authentication first, then Accept: a 406 costs no rate limit, budget or diagnosis.
      onRequest: [app.authenticate, requireAcceptable],
      config: { diagnosisRoute: true },
      schema: {
        tags: ['diagnosis'],
        summary: 'Triage and ranked differential diagnosis for a gynecologic or obstetric complaint',
        description:
          'Red-flag rules always run and set the floor of the triage level; the model (or the offline knowledge base) cannot lower it. ' +
          `JSON by default; \`Accept: ${FHIR_MEDIA_TYPE}\` answers the same diagnosis as a FHIR R4 Bundle (\`${FHIR_CONTENT_TYPE}\`). ` +
          'Errors always use the JSON error shape.',
        security: [{ apiKey: [] }, { bearer: [] }],
        body: DiagnoseRequest,
        response: {
          200: {
            description: 'The diagnosis, in the representation the Accept header asked for',
            content: {
              // Built by the pipeline from validated input and validated model output: compiled, not re-parsed.
              'application/json': { schema: builtByService(DiagnoseResponse) },
              [FHIR_MEDIA_TYPE]: { schema: FhirBundle },
            },
          },
          ...errors,
        },
      },
    },
    async (request, reply) => {
      // The client's patient reference stays here: it never reaches a provider (or the model's prompt).
      const { subject, ...clinical } = request.body;
      const outcome = await app.diagnosis.diagnose(clinical, abortOnClientGone(reply));
      request.diagnosisOutcome = outcome;
      if (preferredFormat(request.headers.accept) !== 'fhir') {
        reply.type('application/json; charset=utf-8');
        return outcome.response;
      }
      reply.type(FHIR_CONTENT_TYPE_HEADER);
      const bundle = toFhirBundle({
        response: outcome.response,
        vitals: clinical.vitals,
        subject,
        serviceVersion: SERVICE_VERSION,
      });
      // FHIR's types make every element optional; the response serializer checks the documented shape on the way out.
      return bundle as z.output<typeof FhirBundle>;
    },
  );
};

export default diagnoseRoute;
