import fp from 'fastify-plugin';
import { buildDiagnosisService } from '../domain/diagnosis/build-service.ts';
import type { DiagnosisService } from '../domain/diagnosis/diagnose.ts';
import { RedisUpstreamGovernor } from '../infra/upstream-governor.ts';

declare module 'fastify' {
  interface FastifyInstance {
    diagnosis: DiagnosisService;
  }
}

export default fp(
  async (app) => {
    const telemetry = app.metrics.upstreamTelemetry;
    const { upstream, openai } = app.config;
    // Ceilings on model calls: shared through Redis when it is configured, per instance otherwise.
    const governor = new RedisUpstreamGovernor(
      { ...upstream, callTokens: openai.maxTokens },
      app.redis,
      telemetry,
    );
    const service = buildDiagnosisService(app.config, telemetry, governor);
    app.decorate('diagnosis', service);
    app.readinessChecks.push({
      name: 'provider',
      required: true,
      check: async () => ({
        status: service.isUsable() ? 'up' : 'down',
        detail: {
          primary: service.primary.name,
          model: service.primary.model,
          fallback: service.fallback?.name ?? 'none',
        },
      }),
    });
  },
  { name: 'diagnosis', dependencies: ['config', 'readiness', 'redis', 'metrics', 'diagnosis-outcome'] },
);
