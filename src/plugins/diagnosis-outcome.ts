import fp from 'fastify-plugin';
import type { DiagnosisOutcome } from '../domain/diagnosis/diagnose.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Marks routes that run the diagnosis pipeline: audited, budgeted, rate limited per principal. */
    diagnosisRoute?: boolean;
  }
  interface FastifyRequest {
    /** Set by diagnosis routes; read by the audit log, the token budget and the metrics. */
    diagnosisOutcome: DiagnosisOutcome | null;
  }
}

/** The request slot a diagnosis route fills, declared once so its readers can depend on it by name. */
export default fp(
  async (app) => {
    app.decorateRequest('diagnosisOutcome', null);
  },
  { name: 'diagnosis-outcome' },
);
