import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SERVICE_VERSION } from '../infra/version.ts';

const LegacyHealth = z.object({
  status: z.enum(['healthy', 'unhealthy']),
  timestamp: z.iso.datetime(),
  version: z.string(),
  services: z.record(z.string(), z.enum(['healthy', 'unhealthy'])),
});
const LegacyLive = z.object({ status: z.literal('alive'), timestamp: z.iso.datetime() });
const LegacyReady = z.object({ status: z.enum(['ready', 'not_ready']), timestamp: z.iso.datetime() });

/**
 * The Python service's health routes. Public like /health (the back end's X-API-Key and
 * X-Service-Name are accepted and ignored: it reads only the status code), 503 when a required
 * dependency is down, and never a model call.
 */
const legacyHealthRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/health/',
    {
      schema: {
        tags: ['legacy'],
        summary: 'Legacy health: 503 when a required dependency is down',
        response: { 200: LegacyHealth, 503: LegacyHealth },
      },
    },
    async (_request, reply) => {
      const { ready, dependencies } = await app.checkReadiness();
      if (!ready) reply.code(503).header('retry-after', '5');
      const services: Record<string, 'healthy' | 'unhealthy'> = {};
      for (const [name, dep] of Object.entries(dependencies))
        services[name] = dep.status === 'up' ? 'healthy' : 'unhealthy';
      return {
        status: ready ? ('healthy' as const) : ('unhealthy' as const),
        timestamp: new Date().toISOString(),
        version: SERVICE_VERSION,
        services,
      };
    },
  );

  app.get('/health/live', { schema: { tags: ['legacy'], response: { 200: LegacyLive } } }, async () => ({
    status: 'alive' as const,
    timestamp: new Date().toISOString(),
  }));

  app.get(
    '/health/ready',
    { schema: { tags: ['legacy'], response: { 200: LegacyReady, 503: LegacyReady } } },
    async (_request, reply) => {
      const { ready } = await app.checkReadiness();
      if (!ready) reply.code(503).header('retry-after', '5');
      return {
        status: ready ? ('ready' as const) : ('not_ready' as const),
        timestamp: new Date().toISOString(),
      };
    },
  );
};

export default legacyHealthRoutes;
