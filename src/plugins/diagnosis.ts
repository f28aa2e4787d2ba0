import fp from 'fastify-plugin';
import { buildDiagnosisService } from '../domain/diagnosis/build-service.ts';
import type { DiagnosisOutcome, DiagnosisService } from '../domain/diagnosis/diagnose.ts';
import { NOOP_UPSTREAM_TELEMETRY, type UpstreamTelemetry } from '../domain/telemetry.ts';
import { RedisUpstreamGovernor } from '../infra/upstream-governor.ts';

declare module 'fastify' {
  interface FastifyInstance {
    diagnosis: DiagnosisService;
    upstreamTelemetry?: UpstreamTelemetry;
  }
  interface FastifyContextConfig {
    /** Marks routes that run the diagnosis pipeline: audited, budgeted, rate limited per principal. */
    diagnosisRoute?: boolean;
  }
  interface FastifyRequest {
    /** Set by diagnosis routes for the audit log and metrics. */
    diagnosisOutcome: DiagnosisOutcome | null;
  }
}

export default fp(
  async (app) => {
    const telemetry = app.upstreamTelemetry ?? NOOP_UPSTREAM_TELEMETRY;
    const { upstream, openai } = app.config;
    // Ceilings on model calls: shared through Redis when it is configured, per instance otherwise.
    const governor = new RedisUpstreamGovernor(
      { ...upstream, callTokens: openai.maxTokens },
      app.redis,
      telemetry,
    );
    const service = buildDiagnosisService(app.config, telemetry, governor);
    app.decorate('diagnosis', service);
    app.decorateRequest('diagnosisOutcome', null);
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
  { name: 'diagnosis', dependencies: ['config', 'readiness', 'redis'] },
);
