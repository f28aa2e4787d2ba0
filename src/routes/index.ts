import type { FastifyInstance } from 'fastify';
import { validatorCompiler } from 'fastify-type-provider-zod';
import { responseSerializerCompiler } from '../http/response-serializer.ts';
import diagnoseRoute from './v1/diagnose.ts';
import referenceRoutes from './v1/reference.ts';
import healthRoutes from './health/health.ts';
import legacyRoutes from '../legacy/routes.ts';

/** Zod-validated routes, kept in their own encapsulated context (the zod compilers stay out of the root). */
export default async function routes(app: FastifyInstance): Promise<void> {
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(responseSerializerCompiler({ verify: app.config.nodeEnv !== 'production' }));
  // JSON only: without this, Fastify's default text/plain parser would turn a 415 into a 400.
  app.removeContentTypeParser('text/plain');
  await app.register(healthRoutes);
  await app.register(diagnoseRoute);
  await app.register(referenceRoutes);
  await app.register(legacyRoutes);
}
