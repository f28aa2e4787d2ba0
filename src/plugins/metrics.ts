import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sha256 } from '../config/config.ts';
import { ApiError } from '../http/api-error.ts';
import { AppMetrics, type RejectionKind } from '../infra/metrics/metrics.ts';

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
    // The diagnosis plugin registers after this one and hands this to the OpenAI provider.
    app.decorate('upstreamTelemetry', metrics.upstreamTelemetry);

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

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url;
      if (servedOnMainPort && route === METRICS_PATH) return; // scrapes are not traffic
      metrics.observeHttp(request.method, route ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
      if (request.diagnosisOutcome) metrics.recordDiagnosis(request.diagnosisOutcome);
      if (reply.statusCode === 429)
        metrics.recordRejection(rejectionKind(request.errorCode), principalLabel(request));
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
      let server: Server | null = null;

      const sendError = (
        res: ServerResponse,
        status: number,
        code: string,
        message: string,
        headers: Record<string, string> = {},
      ) => {
        res
          .writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers })
          .end(JSON.stringify({ error: { code, message }, request_id: randomUUID() }));
      };

      const handle = async (req: IncomingMessage, res: ServerResponse) => {
        const path = (req.url ?? '/').split('?')[0];
        if (path !== METRICS_PATH) return sendError(res, 404, 'not_found', 'Not found.');
        if (req.method !== 'GET' && req.method !== 'HEAD') {
          return sendError(res, 405, 'method_not_allowed', 'Use GET.', { allow: 'GET, HEAD' });
        }
        if (expectedToken && !tokenMatches(req.headers.authorization, expectedToken)) {
          return sendError(res, 401, 'unauthorized', 'Missing or invalid metrics token.', {
            'www-authenticate': 'Bearer',
          });
        }
        try {
          const body = await scrape();
          res.writeHead(200, { 'content-type': metrics.contentType, 'cache-control': 'no-store' });
          res.end(req.method === 'HEAD' ? undefined : body);
        } catch (error) {
          app.log.error({ err: error }, 'metrics scrape failed');
          if (!res.headersSent) sendError(res, 500, 'internal_error', 'Metrics are unavailable.');
          else res.destroy();
        }
      };

      // Bound on ready (not on listen) so a taken port fails start-up instead of silently losing metrics.
      app.addHook('onReady', async () => {
        const created = createServer((req, res) => void handle(req, res));
        created.requestTimeout = 30_000;
        await new Promise<void>((resolve, reject) => {
          created.once('error', reject);
          created.listen(port, config.host, () => {
            created.off('error', reject);
            resolve();
          });
        });
        created.on('error', (error) => app.log.error({ err: error }, 'metrics listener error'));
        server = created;
        app.log.info({ host: config.host, port }, 'metrics listening on a separate port');
      });

      app.addHook('onClose', async () => {
        const current = server;
        if (!current) return;
        server = null;
        current.closeAllConnections();
        await new Promise<void>((resolve) => current.close(() => resolve()));
      });
    }
  },
  { name: 'metrics', dependencies: ['config', 'errors', 'readiness'] },
);
