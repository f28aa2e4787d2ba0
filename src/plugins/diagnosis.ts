import fp from 'fastify-plugin';
import { buildDiagnosisService } from '../domain/diagnosis/build-service.ts';
import type { DiagnosisService } from '../domain/diagnosis/diagnose.ts';

declare module 'fastify' {
  interface FastifyInstance {
    diagnosis: DiagnosisService;
  }
}

export default fp(
  async (app) => {
    const service = buildDiagnosisService(app.config, app.metrics.upstreamTelemetry);
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
  { name: 'diagnosis', dependencies: ['config', 'readiness', 'metrics', 'diagnosis-outcome'] },
);
