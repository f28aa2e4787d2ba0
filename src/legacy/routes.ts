import type { FastifyInstance } from 'fastify';
import { clientRequestId } from '../http/request-id.ts';
import diagnosisRoutes from './diagnosis-routes.ts';
import { legacyErrorHandler, legacyNotFoundHandler, toFastApiShape } from './error-handler.ts';
import healthRoutes from './health-routes.ts';

/**
 * The Python service's routes under /api/v1, for the existing NestJS back end (docs/legacy-api.md).
 * Thin adapters over the canonical pipeline; errors in FastAPI's shapes.
 */
async function legacyApi(app: FastifyInstance): Promise<void> {
  app.setErrorHandler(legacyErrorHandler);
  app.setNotFoundHandler(legacyNotFoundHandler);
  // Logs carry a pseudonymized request id (the back end's holds a patient id); the client gets its own back.
  app.addHook('onSend', async (request, reply, payload) => {
    const header = clientRequestId(request.headers['x-request-id']);
    if (header) reply.header('x-request-id', header);
    return toFastApiShape(reply.statusCode, payload);
  });
  app.addHook('preSerialization', async (_request, reply, payload) =>
    toFastApiShape(reply.statusCode, payload),
  );
  await app.register(diagnosisRoutes);
  await app.register(healthRoutes);
}

export default async function legacyRoutes(app: FastifyInstance): Promise<void> {
  await app.register(legacyApi, { prefix: '/api/v1' });
}
