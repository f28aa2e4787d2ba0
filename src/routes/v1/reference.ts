import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listConditions } from '../../domain/knowledge-base/catalog.ts';
import { RED_FLAG_RULES } from '../../domain/red-flags/rules.ts';
import { listFindings } from '../../domain/interview/findings-catalog.ts';
import { FindingsResponse } from '../../domain/schemas/interview.ts';
import { ConditionsResponse, RedFlagRulesResponse } from '../../domain/schemas/reference.ts';

/** Public reference data: the red-flag rules for clinical review, the condition catalog and the answerable findings for client UIs. */
const referenceRoutes: FastifyPluginAsyncZod = async (app) => {
  const rules = { rules: [...RED_FLAG_RULES] };
  const conditions = { conditions: [...listConditions()] };
  const findings = { findings: listFindings() };

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

  app.get(
    '/v1/findings',
    {
      schema: {
        tags: ['reference'],
        summary:
          'The findings the engine and the red-flag rules understand, each with a plain-language question; answer them in `evidence`',
        response: { 200: FindingsResponse },
      },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return findings;
    },
  );
};

export default referenceRoutes;
