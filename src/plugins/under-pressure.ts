import fp from 'fastify-plugin';
import underPressure, { type FastifyUnderPressureOptions as PluginOptions } from '@fastify/under-pressure';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface UnderPressureOptions {
  maxEventLoopDelay?: number;
  maxEventLoopUtilization?: number;
  maxHeapUsedBytes?: number;
  maxRssBytes?: number;
  sampleInterval?: number;
  retryAfterSeconds?: number;
}

const DEFAULT_SAMPLE_INTERVAL_MS = 5000;

/** Liveness must not fail because the process is busy: a restart would only make the overload worse. */
const EXEMPT_ROUTES = new Set(['/health/live', '/api/v1/health/live', '/metrics']);

/**
 * Sheds load with 503 + Retry-After (in the service's error shape) when the event loop is saturated, instead
 * of letting every request slow down. Registered at the root without its status route.
 */
export default fp<UnderPressureOptions>(
  async (app, options) => {
    const retryAfter = options.retryAfterSeconds ?? 10;
    // under-pressure lets the request through when the handler returns nothing and sends what it returns
    // otherwise. The body is pre-serialised: route serializers (e.g. /health/ready's) expect their own shape.
    const shed = (request: FastifyRequest, reply: FastifyReply): string | undefined => {
      if (EXEMPT_ROUTES.has(request.routeOptions.url ?? '')) return undefined;
      reply.code(503).header('retry-after', String(retryAfter)).type('application/json; charset=utf-8');
      return JSON.stringify({
        error: { code: 'service_unavailable', message: 'The service is overloaded. Try again later.' },
        request_id: request.id,
      });
    };
    await app.register(underPressure, {
      // Event-loop delay is the signal that requests queue; utilisation alone (a busy but healthy instance) is off
      // unless configured, so a saturated benchmark or burst keeps being served while latency stays low.
      maxEventLoopDelay: options.maxEventLoopDelay ?? 1000,
      ...(options.maxEventLoopUtilization
        ? { maxEventLoopUtilization: options.maxEventLoopUtilization }
        : {}),
      // Averages over the last sample (not since start-up, which barely moves once warm), and a sample long
      // enough that only sustained saturation sheds load, not a burst (or an in-process test loop).
      eventLoopUtilizationMode: 'interval',
      sampleInterval: options.sampleInterval ?? DEFAULT_SAMPLE_INTERVAL_MS,
      ...(options.maxHeapUsedBytes ? { maxHeapUsedBytes: options.maxHeapUsedBytes } : {}),
      ...(options.maxRssBytes ? { maxRssBytes: options.maxRssBytes } : {}),
      retryAfter,
      exposeStatusRoute: false,
      pressureHandler: shed as unknown as PluginOptions['pressureHandler'],
    });
  },
  { name: 'under-pressure', dependencies: ['errors'] },
);
