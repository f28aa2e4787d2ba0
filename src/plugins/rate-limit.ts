import fp from 'fastify-plugin';
import rateLimit, { normalizeIP } from '@fastify/rate-limit';
import type { FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error.ts';
import { KEY_PREFIX, principalKey } from '../infra/keys.ts';
import { FailoverStore, type PiggybackRead } from '../infra/rate-limit-store.ts';
import { sendApiError } from './errors.ts';

const REDIS_DOWN_RETRY_AFTER_S = 5;
/** Upper bound on IPs remembered as blocked for key guessing, so a flood of addresses cannot grow memory. */
const MAX_BLOCKED_IPS = 10_000;

function clientKey(request: FastifyRequest): string {
  return request.principal ? principalKey(request.principal) : `ip:${normalizeIP(request.ip)}`;
}

function describeWindow(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

function tooManyRequests(message: string, limit: number, ttlMs: number): ApiError {
  const seconds = String(Math.max(1, Math.ceil(ttlMs / 1000)));
  return new ApiError(429, 'rate_limited', message, {
    headers: {
      'retry-after': seconds,
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': '0',
      'x-ratelimit-reset': seconds,
    },
  });
}

/**
 * Fixed-window limits per authenticated principal (never per anything in the body), per client IP for
 * unauthenticated routes, and per IP on repeated 401s (key guessing). Shared through Redis when configured.
 */
export default fp(
  async (app) => {
    const { max, windowMs, perService, onRedisError, authFailureMax } = app.config.rateLimit;
    const link = app.redisLink;
    const budget = app.tokenBudget;

    // The principal's token budget (if any) is read in the same round trip as its rate-limit counter.
    const piggyback: PiggybackRead | undefined = budget
      ? {
          keyFor: (key) => (key.startsWith('ip:') ? null : budget.sharedKey(key)),
          observe: (key, readKey, value) => budget.observeShared(key, readKey, value),
        }
      : undefined;

    // Runs after authentication (route onRequest hooks) and before body validation, so floods of invalid
    // bodies count too. One EVALSHA per request when Redis is up.
    await app.register(rateLimit, {
      global: true,
      hook: 'preValidation',
      store: class extends FailoverStore {
        constructor() {
          super(link, KEY_PREFIX.rateLimit, { piggyback });
        }
      },
      keyGenerator: clientKey,
      max: (request) => {
        // Per credential, like the bucket: naming another service must not pick another limit.
        const credential = request.principal?.kind === 'api-key' ? request.principal.id : null;
        return (credential !== null ? perService[credential] : undefined) ?? max;
      },
      timeWindow: windowMs,
      errorResponseBuilder: (_request, context) =>
        tooManyRequests(
          `Too many requests: the limit is ${context.max} per ${describeWindow(windowMs)}. Retry after ${context.after}.`,
          context.max,
          context.ttl,
        ),
    });

    if (link && onRedisError === 'closed') {
      // Closed mode: without the shared limiter, authenticated (billable) traffic is refused rather than
      // unlimited. Health and docs stay answerable, limited per instance.
      app.addHook('preValidation', async (request, reply) => {
        if (!request.principal || link.available) return;
        return sendApiError(
          request,
          reply,
          new ApiError(
            503,
            'service_unavailable',
            'Rate limiting is temporarily unavailable. Try again shortly.',
            {
              headers: { 'retry-after': String(REDIS_DOWN_RETRY_AFTER_S) },
            },
          ),
        );
      });
    }

    // Key guessing: 401s are counted per IP; past the limit the IP is refused before authentication runs.
    // The block is remembered locally, so the check costs no Redis round trip; the count is shared.
    const authFailures = new FailoverStore(link, KEY_PREFIX.authFailures);
    const blockedUntil = new Map<string, number>();

    /** Milliseconds the request's address is still blocked for, or 0. */
    function blockedFor(request: FastifyRequest): number {
      if (blockedUntil.size === 0) return 0;
      const ip = normalizeIP(request.ip);
      const until = blockedUntil.get(ip);
      if (until === undefined) return 0;
      const remaining = until - Date.now();
      if (remaining > 0) return remaining;
      blockedUntil.delete(ip);
      return 0;
    }

    async function countAuthFailure(request: FastifyRequest): Promise<void> {
      const ip = normalizeIP(request.ip);
      const { current, ttl } = await authFailures.increment(ip, windowMs);
      if (current < authFailureMax) return;
      if (blockedUntil.size >= MAX_BLOCKED_IPS) {
        const oldest = blockedUntil.keys().next().value;
        if (oldest !== undefined) blockedUntil.delete(oldest);
      }
      blockedUntil.set(ip, Date.now() + ttl);
    }

    // Callback hooks, not async ones: they run on every request, where a promise and a microtask each are
    // measurable, and almost always have nothing to do.
    app.addHook('onRequest', (request, reply, done) => {
      const remaining = blockedFor(request);
      if (remaining === 0) return done();
      // Answered here: done() is not called, so the request goes no further.
      sendApiError(
        request,
        reply,
        tooManyRequests(
          'Too many failed authentication attempts from this address.',
          authFailureMax,
          remaining,
        ),
      );
    });

    // onSend, not onResponse: the count is settled before the client sees its 401, so its next request is judged on it.
    app.addHook('onSend', (request, reply, payload, done) => {
      if (reply.statusCode !== 401) return done(null, payload);
      countAuthFailure(request).then(() => done(null, payload), done);
    });
  },
  { name: 'rate-limit', dependencies: ['config', 'errors', 'redis', 'auth', 'token-budget'] },
);
