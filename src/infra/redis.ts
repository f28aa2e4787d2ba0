import { once } from 'node:events';
import { Redis, type RedisOptions } from 'ioredis';
import type { FastifyBaseLogger } from 'fastify';
import type { RedisConfig } from '../config/config.ts';

/** How long Redis is bypassed after a failed command on a connection that still looks open (e.g. a stalled server). */
const BYPASS_AFTER_FAILURE_MS = 2000;
const MAX_RECONNECT_DELAY_MS = 2000;

/** Fail fast: no offline queue, one retry per command, short timeouts; reconnects by itself with capped backoff. */
export function redisOptions(config: RedisConfig): RedisOptions {
  return {
    connectTimeout: config.connectTimeoutMs,
    commandTimeout: config.connectTimeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(100 * 2 ** Math.min(attempt - 1, 10), MAX_RECONNECT_DELAY_MS),
    connectionName: 'tenderly-diagnosis',
    // Commands issued in the same event-loop turn (the rate-limit EVALSHAs of concurrent requests) go out in one
    // socket write and come back in one read: still one command per request, but under load far fewer syscalls,
    // which were ~17% of the CPU at peak (socket writes of single commands; bench/profile, see BENCHMARKS.md).
    enableAutoPipelining: true,
    ...(config.url ? {} : config.sentinels ? sentinelOptions(config) : directOptions(config)),
  };
}

function directOptions(config: RedisConfig): RedisOptions {
  return { host: config.host, port: config.port, password: config.password, db: config.db };
}

/** Asks the Sentinels for the current primary, and again after a failover (old primary gone or demoted). */
function sentinelOptions(config: RedisConfig): RedisOptions {
  return {
    sentinels: config.sentinels?.map(({ host, port }) => ({ host, port })),
    name: config.sentinelName,
    sentinelPassword: config.sentinelPassword,
    password: config.password,
    db: config.db,
    // Follows +switch-master from the Sentinels instead of waiting for the old connection to fail.
    failoverDetector: true,
  };
}

export function createRedisClient(config: RedisConfig): Redis {
  const options = redisOptions(config);
  return config.url ? new Redis(config.url, options) : new Redis(options);
}

/**
 * The one place that knows whether Redis can be used right now. Stores ask `available` (no round trip) and
 * report command failures; the link logs one warning per outage and one info line on recovery.
 */
export class RedisLink {
  readonly client: Redis;
  private readonly log: FastifyBaseLogger;
  private readonly outageEffect: string;
  private down = false;
  private closing = false;
  private bypassUntil = 0;

  constructor(client: Redis, log: FastifyBaseLogger, outageEffect: string) {
    this.client = client;
    this.log = log;
    this.outageEffect = outageEffect;
    client.on('ready', () => this.markUp());
    client.on('close', () => this.markDown('connection closed'));
    // Without a listener ioredis prints every reconnect failure to the console.
    client.on('error', (error: NodeJS.ErrnoException) => {
      if (client.status !== 'ready') this.markDown(error.code ?? 'connection error');
    });
  }

  /** True when commands can be sent now; never waits. */
  get available(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.bypassUntil;
  }

  get isDown(): boolean {
    return this.down;
  }

  /** Waits (bounded) for the first connection, so an instance starts on shared state when Redis is there. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    if (this.client.status === 'ready') return true;
    try {
      await once(this.client, 'ready', { signal: AbortSignal.timeout(timeoutMs) });
      return true;
    } catch {
      this.markDown('unreachable at start-up');
      return false;
    }
  }

  reportFailure(error: unknown): void {
    this.bypassUntil = Date.now() + BYPASS_AFTER_FAILURE_MS;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    this.markDown(code ?? (error instanceof Error ? error.message : 'command failed'));
  }

  reportSuccess(): void {
    if (this.down) this.markUp();
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.client.status !== 'ready') {
      // Not connected: stop the reconnect timer; there is no socket to wait for.
      this.client.disconnect();
      return;
    }
    const ended = once(this.client, 'end').then(
      () => undefined,
      () => undefined,
    );
    try {
      await this.client.quit();
      // quit() resolves on the server's OK; the socket closes just after.
      await Promise.race([ended, new Promise<void>((resolve) => setTimeout(resolve, 1000).unref())]);
    } catch {
      this.client.disconnect();
    }
  }

  private markDown(reason: string): void {
    if (this.down || this.closing) return;
    this.down = true;
    this.log.warn({ reason }, `Redis unavailable: ${this.outageEffect} until it is reachable again`);
  }

  private markUp(): void {
    this.bypassUntil = 0;
    if (!this.down) return;
    this.down = false;
    this.log.info('Redis reachable again: shared rate limits and token budgets resumed');
  }
}
