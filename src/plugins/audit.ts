import { createHmac } from 'node:crypto';
import fp from 'fastify-plugin';
import pino, { type DestinationStream, type Logger } from 'pino';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROMPT_VERSION } from '../domain/providers/openai/prompt.ts';
import { patientIds } from '../legacy/patient-id.ts';

/** Hex characters kept of the patient identifier's keyed hash: enough to correlate, too few to matter if leaked. */
const PATIENT_HASH_LENGTH = 16;
const CLOSE_TIMEOUT_MS = 5000;

type SonicBoom = ReturnType<typeof pino.destination>;

/** A keyed SHA-256 (HMAC) of a patient identifier, truncated: records can be correlated, never reversed. */
export function hashPatientId(id: string, salt: string): string {
  return createHmac('sha256', salt).update(id, 'utf8').digest('hex').slice(0, PATIENT_HASH_LENGTH);
}

/** Metadata only: who asked, what answered, how it went. Never symptoms, notes, ages or identifiers in clear. */
export function auditRecord(
  request: FastifyRequest,
  reply: FastifyReply,
  salt: string,
): Record<string, unknown> {
  const outcome = request.diagnosisOutcome;
  const usage = outcome?.result.usage ?? null;
  // A header sent twice arrives joined ("id, id"): the hash is of the first id, not of the pair.
  const patientId = patientIds(request.headers['x-patient-id'])[0];
  return {
    event: 'diagnosis',
    request_id: request.id,
    principal: request.principal
      ? { kind: request.principal.kind, id: request.principal.id, service: request.principal.service }
      : null,
    method: request.method,
    route: request.routeOptions.url ?? null,
    status: reply.statusCode,
    triage_level: outcome?.response.triage.level ?? null,
    provider: outcome?.result.provider ?? null,
    model: outcome?.result.model ?? null,
    prompt_version: outcome?.result.provider === 'openai' ? PROMPT_VERSION : null,
    fallback: outcome ? outcome.fallbackReason !== null : null,
    fallback_reason: outcome?.fallbackReason ?? null,
    duration_ms: Math.round(reply.elapsedTime * 100) / 100,
    tokens: usage
      ? {
          prompt: usage.promptTokens,
          completion: usage.completionTokens,
          total: usage.promptTokens + usage.completionTokens,
        }
      : null,
    patient_id_hash: patientId ? hashPatientId(patientId, salt) : null,
  };
}

function closeDestination(destination: SonicBoom): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    destination.once('close', done);
    destination.once('error', done);
    // end() writes out whatever is still buffered, then closes the file.
    destination.end();
  });
}

/**
 * One audit record per diagnosis request (routes with `config.diagnosisRoute`), successes and failures after
 * authentication, HIPAA §164.312(b) style. Written to AUDIT_LOG_PATH (asynchronously, flushed on close) or,
 * by default, to the service's log stream marked `"audit": true`. Independent of LOG_LEVEL.
 */
export default fp(
  async (app) => {
    const { path, salt } = app.config.audit;
    let destination: DestinationStream;
    let owned: SonicBoom | null = null;
    if (path) {
      owned = pino.destination({ dest: path, sync: false, mkdir: true, append: true });
      destination = owned;
    } else {
      // Sharing the app's stream keeps whole lines: two writers on one stdout could interleave large writes.
      const shared = (app.log as unknown as Record<symbol, DestinationStream | undefined>)[
        pino.symbols.streamSym
      ];
      destination = shared ?? pino.destination({ dest: 1, sync: false });
    }
    const audit: Logger = pino(
      {
        level: 'info',
        base: { audit: true, service: 'tenderly-diagnosis' },
        timestamp: pino.stdTimeFunctions.isoTime,
      },
      destination,
    );

    // A callback hook: an async one costs a promise and a microtask on every request.
    app.addHook('onResponse', (request, reply, done) => {
      // Unauthenticated rejections are not diagnosis requests; server failures are always recorded.
      if (request.routeOptions.config.diagnosisRoute && (request.principal || reply.statusCode >= 500))
        audit.info(auditRecord(request, reply, salt), 'diagnosis request');
      done();
    });

    if (owned) {
      const file = owned;
      app.addHook('onClose', async () => closeDestination(file));
    }
  },
  { name: 'audit', dependencies: ['config', 'auth', 'diagnosis-outcome'] },
);
