import fp from 'fastify-plugin';
import cors from '@fastify/cors';
import { SECURITY_HEADERS } from '../http/security-headers.ts';

/** Security headers for a JSON API (no HTML except /docs) and CORS only for configured origins. */
export default fp(
  async (app) => {
    // helmet's headers, computed by helmet once at start-up (@fastify/helmet rebuilt its middleware, CSP parsing
    // included, for every request). Reply headers, so a route's own (the docs page's CSP) still override them.
    app.addHook('onRequest', (_request, reply, done) => {
      reply.headers(SECURITY_HEADERS);
      done();
    });
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
    app.addHook('onSend', (_request, reply, payload, done) => {
      // Diagnoses are personal data: never cached unless a route says otherwise (public reference data).
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      done(null, payload);
    });
  },
  { name: 'security', dependencies: ['config'] },
);
