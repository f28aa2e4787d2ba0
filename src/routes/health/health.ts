import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SERVICE_VERSION } from '../../infra/version.ts';

const Dependency = z.object({
  status: z.enum(['up', 'down']),
  latency_ms: z.number().optional(),
  detail: z.record(z.string(), z.unknown()).optional(),
});
const Live = z.object({ status: z.literal('ok') });
const Ready = z.object({ status: z.enum(['ready', 'not_ready']) });
/** Anonymous callers get the status per dependency; version, uptime, model and latency need credentials. */
const Detail = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string().optional(),
  uptime_seconds: z.number().optional(),
  dependencies: z.record(z.string(), Dependency),
});

/** Public, cheap, and honest: ready only when every required dependency is up. Never calls the model. */
const healthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get('/health/live', { schema: { tags: ['health'], response: { 200: Live } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get(
    '/health/ready',
    { schema: { tags: ['health'], response: { 200: Ready, 503: Ready } } },
    async (_request, reply) => {
      const { ready } = await app.checkReadiness();
      if (!ready) reply.code(503).header('retry-after', '5');
      return { status: ready ? ('ready' as const) : ('not_ready' as const) };
    },
  );

  app.get(
    '/health',
    {
      schema: { tags: ['health'], response: { 200: Detail, 503: Detail } },
      // Credentials are optional here, but checked when presented (a bad one is a 401, as anywhere).
      onRequest: async (request) => {
        if (request.headers['x-api-key'] !== undefined || request.headers.authorization !== undefined)
          await app.authenticate(request);
      },
    },
    async (request, reply) => {
      const { ready, dependencies } = await app.checkReadiness();
      if (!ready) reply.code(503);
      const status = ready ? ('ok' as const) : ('degraded' as const);
      if (!request.principal) {
        const statuses = Object.fromEntries(
          Object.entries(dependencies).map(([name, dep]) => [name, { status: dep.status }]),
        );
        return { status, dependencies: statuses };
      }
      return {
        status,
        version: SERVICE_VERSION,
        uptime_seconds: Math.round(process.uptime()),
        dependencies,
      };
    },
  );
};

export default healthRoutes;
