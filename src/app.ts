import { randomUUID } from 'node:crypto';
import Fastify, { LogController, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import type { DestinationStream } from 'pino';
import type { AppConfig } from './config/config.ts';
import { requestIdWithoutPatientId } from './legacy/patient-id.ts';
import { clientRequestId } from './http/request-id.ts';
import { loggerOptions } from './logging.ts';
import auditPlugin from './plugins/audit.ts';
import authPlugin from './plugins/auth.ts';
import configPlugin from './plugins/config.ts';
import diagnosisPlugin from './plugins/diagnosis.ts';
import diagnosisOutcomePlugin from './plugins/diagnosis-outcome.ts';
import docsPlugin from './plugins/docs.ts';
import errorsPlugin from './plugins/errors.ts';
import gracefulClosePlugin from './plugins/graceful-close.ts';
import metricsPlugin from './plugins/metrics.ts';
import rateLimitPlugin from './plugins/rate-limit.ts';
import readinessPlugin from './plugins/readiness.ts';
import redisPlugin from './plugins/redis.ts';
import requestLogPlugin from './plugins/request-log.ts';
import securityPlugin from './plugins/security.ts';
import tokenBudgetPlugin from './plugins/token-budget.ts';
import underPressurePlugin from './plugins/under-pressure.ts';
import routes from './routes/index.ts';

export interface BuildOptions {
  config: AppConfig;
  /** Where logs go; tests pass a stream to read them. Defaults to stdout. */
  logStream?: DestinationStream;
}

export function serverOptions(config: AppConfig, logStream?: DestinationStream): FastifyServerOptions {
  return {
    logger: loggerOptions(config, logStream),
    logController: new LogController({ disableRequestLogging: true }),
    requestIdHeader: false,
    // A client's X-Request-ID is kept when well-formed, so its logs and ours line up.
    genReqId: (req) => {
      const header = clientRequestId(req.headers['x-request-id']);
      if (!header) return randomUUID();
      // The legacy back end puts the patient's record id in its request ids; logs get a pseudonym.
      return requestIdWithoutPatientId(header, req.headers['x-patient-id'], config.audit.salt);
    },
    bodyLimit: config.http.bodyLimitBytes,
    trustProxy: config.http.trustProxy === false ? false : [...config.http.trustProxy],
    // Above the upstream deadline, so a slow model answer (or its fallback) still gets sent.
    requestTimeout: config.openai.deadlineMs + 10_000,
    connectionTimeout: config.openai.deadlineMs + 15_000,
    keepAliveTimeout: 72_000,
    return503OnClosing: true,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 },
  };
}

/**
 * Registers every plugin and route on an app; shared by the server and the tests. Each plugin names the
 * plugins it needs (fastify-plugin `dependencies`), so an order that breaks one fails at start-up.
 */
export async function registerApp(app: FastifyInstance, config: AppConfig): Promise<void> {
  await app.register(configPlugin, { config });
  await app.register(errorsPlugin);
  await app.register(authPlugin);
  await app.register(gracefulClosePlugin);
  await app.register(requestLogPlugin);
  await app.register(securityPlugin);
  await app.register(underPressurePlugin, {
    maxEventLoopDelay: config.underPressure.maxEventLoopDelayMs,
    ...(config.underPressure.maxEventLoopUtilization
      ? { maxEventLoopUtilization: config.underPressure.maxEventLoopUtilization }
      : {}),
    ...(config.underPressure.maxHeapUsedBytes
      ? { maxHeapUsedBytes: config.underPressure.maxHeapUsedBytes }
      : {}),
  });
  await app.register(readinessPlugin);
  await app.register(redisPlugin);
  await app.register(diagnosisOutcomePlugin);
  await app.register(metricsPlugin);
  await app.register(tokenBudgetPlugin);
  await app.register(rateLimitPlugin);
  await app.register(auditPlugin);
  await app.register(diagnosisPlugin);
  await app.register(docsPlugin);
  await app.register(routes);
}

export async function buildApp(options: BuildOptions): Promise<FastifyInstance> {
  const app = Fastify(serverOptions(options.config, options.logStream));
  await registerApp(app, options.config);
  return app;
}
