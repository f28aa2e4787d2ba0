import { performance } from 'node:perf_hooks';
import fp from 'fastify-plugin';
import type { Redis } from 'ioredis';
import { createRedisClient, RedisLink } from '../infra/redis.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The shared Redis client; null when REDIS_URL/REDIS_HOST is not configured. */
    redis: Redis | null;
    /** Whether Redis is usable right now, for stores that fall back to process memory. */
    redisLink: RedisLink | null;
  }
}

/**
 * Redis for state shared across replicas (rate limits, token budgets). Without it the same features run on
 * in-process stores; with it, an unreachable Redis makes the instance not ready but never hangs a request.
 */
export default fp(
  async (app) => {
    const config = app.config.redis;
    if (!config) {
      app.decorate('redis', null);
      app.decorate('redisLink', null);
      app.log.info(
        'Redis not configured (REDIS_URL): rate limits, auth-failure limits and token budgets are kept in process memory, per instance only',
      );
      return;
    }

    const client = createRedisClient(config);
    const outageEffect =
      app.config.rateLimit.onRedisError === 'closed'
        ? 'authenticated requests are refused with 503 (RATE_LIMIT_ON_REDIS_ERROR=closed)'
        : 'rate limits and token budgets fall back to per-instance memory (RATE_LIMIT_ON_REDIS_ERROR=open)';
    const link = new RedisLink(client, app.log.child({ dependency: 'redis' }), outageEffect);
    app.decorate('redis', client);
    app.decorate('redisLink', link);
    app.addHook('onClose', async () => link.close());

    app.readinessChecks.push({
      name: 'redis',
      required: true,
      check: async () => {
        if (client.status !== 'ready') return { status: 'down' };
        const started = performance.now();
        await client.ping();
        link.reportSuccess();
        return { status: 'up', latency_ms: Math.round((performance.now() - started) * 100) / 100 };
      },
    });

    await link.waitUntilReady(config.connectTimeoutMs + 500);
  },
  { name: 'redis', dependencies: ['config', 'readiness'] },
);
