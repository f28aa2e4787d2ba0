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
const Detail = z.object({
  status: z.enum(['ok', 'degraded']),
  version: z.string(),
  uptime_seconds: z.number(),
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
    { schema: { tags: ['health'], response: { 200: Detail, 503: Detail } } },
    async (_request, reply) => {
      const { ready, dependencies } = await app.checkReadiness();
      if (!ready) reply.code(503);
      return {
        status: ready ? ('ok' as const) : ('degraded' as const),
        version: SERVICE_VERSION,
        uptime_seconds: Math.round(process.uptime()),
        dependencies,
      };
    },
  );
};

export default healthRoutes;
