import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import cors from '@fastify/cors';
import { HELMET_OPTIONS } from '../http/security-headers.ts';

/** Security headers for a JSON API (no HTML except /docs) and CORS only for configured origins. */
export default fp(
  async (app) => {
    await app.register(helmet, HELMET_OPTIONS);
    const origins = app.config.http.corsOrigins;
    await app.register(cors, {
      origin: origins.length > 0 ? [...origins] : false,
      methods: ['GET', 'POST'],
      allowedHeaders: ['Content-Type', 'Authorization', 'X-API-Key', 'X-Request-ID', 'X-Service-Name'],
      exposedHeaders: [
        'X-Request-ID',
        'Retry-After',
        'X-RateLimit-Limit',
        'X-RateLimit-Remaining',
        'X-RateLimit-Reset',
      ],
      maxAge: 600,
    });
    app.addHook('onSend', async (_request, reply) => {
      // Diagnoses are personal data: never cached unless a route says otherwise (public reference data).
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });
  },
  { name: 'security', dependencies: ['config'] },
);
