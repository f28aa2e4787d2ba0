import { randomUUID, timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import Fastify, { LogController, type FastifyInstance, type FastifyRequest } from 'fastify';
import { sha256 } from '../config/config.ts';
import { ApiError } from '../http/api-error.ts';
import { AppMetrics, type RejectionKind } from '../infra/metrics/metrics.ts';
import errorsPlugin from './errors.ts';

declare module 'fastify' {
  interface FastifyInstance {
    metrics: AppMetrics;
  }
}

const METRICS_PATH = '/metrics';
const READINESS_TIMEOUT_MS = 2000;
const REDIS_PING_TIMEOUT_MS = 1000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Only the API-key service name is a safe label: JWT subjects are per-user, so they collapse to "jwt". */
export function principalLabel(request: FastifyRequest): string {
  const principal = request.principal;
  if (!principal) return 'anonymous';
  if (principal.kind === 'api-key' && principal.service) return principal.service;
  return principal.kind === 'jwt' ? 'jwt' : 'anonymous';
}

/** Which kind of 429 the error handlers answered (they record the code on the request). */
function rejectionKind(errorCode: string | null): RejectionKind {
  return errorCode === 'budget_exhausted' ? 'budget_exhausted' : 'rate_limited';
}

function tokenMatches(authorization: string | string[] | undefined, expected: Buffer): boolean {
  const header = Array.isArray(authorization) ? authorization[0] : authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match !== null && timingSafeEqual(sha256(match[1] as string), expected);
}

/**
 * Prometheus metrics. Where /metrics is served:
 * - METRICS_PORT set: on a separate listener (HOST:METRICS_PORT) that is never published nor proxied;
 *   METRICS_TOKEN, when also set, is required there too. The main port has no /metrics.
 * - only METRICS_TOKEN set: on the main port, behind `Authorization: Bearer <token>`.
 * - neither: on the main port without auth, except with NODE_ENV=production, where it is a 404.
 */
export default fp(
  async (app: FastifyInstance) => {
    const { config } = app;
    const metrics = new AppMetrics({ prices: config.openai.prices, redis: config.redis !== null });
    app.decorate('metrics', metrics);

    const expectedToken = config.metrics.token ? sha256(config.metrics.token) : null;
    const servedOnMainPort =
      config.metrics.port === null && (expectedToken !== null || config.nodeEnv !== 'production');

    async function refreshScrapeTimeGauges(): Promise<void> {
      metrics.underPressure.set(app.hasDecorator('isUnderPressure') && app.isUnderPressure() ? 1 : 0);

      const readiness = withTimeout(app.checkReadiness(), READINESS_TIMEOUT_MS).then(
        (r) => r.ready,
        () => false,
      );

      let redisProbe: Promise<void> = Promise.resolve();
      if (metrics.redisUp && metrics.redisCommandDuration) {
        const { redisUp, redisCommandDuration } = metrics;
        const client = app.redis;
        redisProbe = (async () => {
          // A client that is not "ready" would queue the PING; it is down for our purposes.
          if (!client || client.status !== 'ready') return redisUp.set(0);
          const started = performance.now();
          try {
            await withTimeout(client.ping(), REDIS_PING_TIMEOUT_MS);
            redisCommandDuration.observe((performance.now() - started) / 1000);
            redisUp.set(1);
          } catch {
            redisUp.set(0);
          }
        })();
      }

      const [ready] = await Promise.all([readiness, redisProbe]);
      metrics.ready.set(ready ? 1 : 0);
    }

    async function scrape(): Promise<string> {
      await refreshScrapeTimeGauges();
      return metrics.render();
    }

    // A callback hook: an async one costs a promise and a microtask on every request.
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url;
      // Scrapes are not traffic.
      if (!(servedOnMainPort && route === METRICS_PATH)) {
        metrics.observeHttp(request.method, route ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
        if (request.diagnosisOutcome) metrics.recordDiagnosis(request.diagnosisOutcome);
        if (reply.statusCode === 429)
          metrics.recordRejection(rejectionKind(request.errorCode), principalLabel(request));
      }
      done();
    });

    if (servedOnMainPort) {
      app.get(
        METRICS_PATH,
        {
          schema: { hide: true },
          onRequest: async (request) => {
            if (expectedToken && !tokenMatches(request.headers.authorization, expectedToken)) {
              throw new ApiError(401, 'unauthorized', 'Missing or invalid metrics token.', {
                headers: { 'www-authenticate': 'Bearer' },
              });
            }
          },
        },
        async (_request, reply) => {
          const body = await scrape();
          return reply.header('cache-control', 'no-store').type(metrics.contentType).send(body);
        },
      );
    }

    if (config.metrics.port !== null) {
      const port = config.metrics.port;
      // A listener of its own, never published nor proxied: scrapes are not traffic, and the API's hooks
      // (auth, rate limits, shedding) do not apply. Errors keep the service's shape.
      const metricsServer = Fastify({
        loggerInstance: app.log,
        logController: new LogController({ disableRequestLogging: true }),
        genReqId: () => randomUUID(),
        requestTimeout: 30_000,
        forceCloseConnections: true,
        exposeHeadRoutes: false,
      });
      await metricsServer.register(errorsPlugin);
      metricsServer.all(METRICS_PATH, async (request, reply) => {
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          throw new ApiError(405, 'method_not_allowed', 'Use GET.', { headers: { allow: 'GET, HEAD' } });
        }
        if (expectedToken && !tokenMatches(request.headers.authorization, expectedToken)) {
          throw new ApiError(401, 'unauthorized', 'Missing or invalid metrics token.', {
            headers: { 'www-authenticate': 'Bearer' },
          });
        }
        let body: string;
        try {
          body = await scrape();
        } catch (error) {
          app.log.error({ err: error }, 'metrics scrape failed');
          throw new ApiError(500, 'internal_error', 'Metrics are unavailable.');
        }
        return reply.header('cache-control', 'no-store').type(metrics.contentType).send(body);
      });

      // Bound on ready (not on listen) so a taken port fails start-up instead of silently losing metrics.
      app.addHook('onReady', async () => {
        // Not "Server listening at": that line names the API's address.
        await metricsServer.listen({
          port,
          host: config.host,
          listenTextResolver: (address) => `metrics listening on a separate port at ${address}`,
        });
      });
      app.addHook('onClose', async () => metricsServer.close());
    }
  },
  { name: 'metrics', dependencies: ['config', 'errors', 'readiness', 'redis', 'auth', 'diagnosis-outcome'] },
);
