import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listConditions } from '../../domain/knowledge-base/catalog.ts';
import { RED_FLAG_RULES } from '../../domain/red-flags/rules.ts';
import { ConditionsResponse, RedFlagRulesResponse } from '../../domain/schemas/reference.ts';

/** Public reference data: the red-flag rules for clinical review, the condition catalog for client UIs. */
const referenceRoutes: FastifyPluginAsyncZod = async (app) => {
  const rules = { rules: [...RED_FLAG_RULES] };
  const conditions = { conditions: [...listConditions()] };

  app.get(
    '/v1/red-flags',
    {
      schema: {
        tags: ['reference'],
        summary:
          'The deterministic red-flag rules, each with the triage level it forces and its guideline source',
        response: { 200: RedFlagRulesResponse },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return rules;
    },
  );

  app.get(
    '/v1/conditions',
    {
      schema: {
        tags: ['reference'],
        summary: 'The condition catalog: name, ICD-10-CM code, lay name and default triage',
        response: { 200: ConditionsResponse },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return conditions;
    },
  );
};

export default referenceRoutes;
