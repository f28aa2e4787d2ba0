import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { DiagnoseRequest, DiagnoseResponse, ErrorResponse } from '../../domain/schemas/diagnose.ts';
import { abortOnClientGone } from '../../http/abort-on-close.ts';

const errors = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
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
      onRequest: app.authenticate,
      config: { diagnosisRoute: true },
      schema: {
        tags: ['diagnosis'],
        summary: 'Triage and ranked differential diagnosis for a gynecologic or obstetric complaint',
        description:
          'Red-flag rules always run and set the floor of the triage level; the model (or the offline knowledge base) cannot lower it.',
        security: [{ apiKey: [] }, { bearer: [] }],
        body: DiagnoseRequest,
        response: { 200: DiagnoseResponse, ...errors },
      },
    },
    async (request, reply) => {
      const outcome = await app.diagnosis.diagnose(request.body, abortOnClientGone(reply));
      request.diagnosisOutcome = outcome;
      return outcome.response;
    },
  );
};

export default diagnoseRoute;
