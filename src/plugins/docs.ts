import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';

/** OpenAPI 3 generated from the zod route schemas, served at /docs/json, with Swagger UI at /docs. */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.0.3',
        info: {
          title: 'Tenderly diagnosis service',
          description:
            'Gynecology and obstetrics triage and differential diagnosis. Decision support only: never a substitute for a clinician.',
          version: '1.0.0',
        },
        components: {
          securitySchemes: {
            apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
            bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
          },
        },
        tags: [
          { name: 'diagnosis', description: 'Triage and differential diagnosis' },
          { name: 'reference', description: 'Clinical rules and catalog, for review and client UIs' },
          { name: 'health', description: 'Liveness and readiness' },
          {
            name: 'legacy',
            description: 'Routes of the former Python service, kept for the existing back end',
          },
        ],
      },
      transform: jsonSchemaTransform,
      transformObject: jsonSchemaTransformObject,
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      // Swagger UI needs scripts and styles from its own origin; the API's CSP is 'none'.
      staticCSP: true,
      transformStaticCSP: (header) => header,
      uiConfig: { deepLinking: false },
    });
  },
  { name: 'docs' },
);
