import fp from 'fastify-plugin';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.ts';
import { errorLogFields, toApiError } from '../http/error-mapping.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The error code the client was answered with, for metrics (which 429 was it?); null on success. */
    errorCode: string | null;
  }
}

export function sendApiError(request: FastifyRequest, reply: FastifyReply, error: ApiError): FastifyReply {
  request.errorCode = error.code;
  return reply
    .code(error.statusCode)
    .headers(error.headers)
    .type('application/json; charset=utf-8')
    .send({
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
      },
      request_id: request.id,
    });
}

/** Every error leaves in the one error shape; 5xx are logged without request data. */
export default fp(
  async (app) => {
    app.decorateRequest('errorCode', null);
    app.setErrorHandler((error, request, reply) => {
      const apiError = toApiError(error);
      if (apiError.statusCode >= 500) {
        request.log.error({ ...errorLogFields(error), code: apiError.code }, 'request failed');
      }
      return sendApiError(request, reply, apiError);
    });
    app.setNotFoundHandler((request, reply) => sendApiError(request, reply, toApiError({ statusCode: 404 })));
  },
  { name: 'errors' },
);
