import type { FastifyRateLimitStore } from '@fastify/rate-limit';
import type { Redis } from 'ioredis';
import { LruMap } from 'toad-cache';
import type { RedisLink } from './redis.ts';

export interface RateCount {
  current: number;
  /** Milliseconds until the window resets. */
  ttl: number;
}

type Callback = Parameters<FastifyRateLimitStore['incr']>[1];

/**
 * A second counter read in the same round trip as the rate-limit increment (the principal's token budget),
 * so the hot path stays at one Redis call per request.
 */
export interface PiggybackRead {
  /** The Redis key to read alongside `key`'s counter, or null for none. */
  keyFor(key: string): string | null;
  observe(key: string, readKey: string, value: number): void;
}

/** Fixed windows in this process's memory, bounded (least recently used keys are dropped first). */
class LocalWindows {
  private readonly windows: LruMap<{ count: number; resetAt: number }>;

  constructor(maxKeys: number) {
    this.windows = new LruMap(maxKeys);
  }

  incr(key: string, windowMs: number): RateCount {
    const now = Date.now();
    let window = this.windows.get(key);
    if (!window || window.resetAt <= now) window = { count: 0, resetAt: now + windowMs };
    window.count += 1;
    this.windows.set(key, window);
    return { current: window.count, ttl: window.resetAt - now };
  }
}

// This store's own fixed window, the same rule as LocalWindows: INCR, PEXPIRE on the first hit, else PTTL
// (a counter somehow left without expiry is given one), plus an optional GET of a second key, all in one
// round trip. Its semantics are ours, whatever the plugin's own Redis store does.
const SCRIPT = `
local current = redis.call('INCR', KEYS[1])
local ttl = tonumber(ARGV[1])
if current == 1 then
  redis.call('PEXPIRE', KEYS[1], ttl)
else
  local left = redis.call('PTTL', KEYS[1])
  if left < 0 then redis.call('PEXPIRE', KEYS[1], ttl) else ttl = left end
end
local extra = 0
if ARGV[2] == '1' then extra = tonumber(redis.call('GET', KEYS[2]) or '0') or 0 end
return {current, ttl, extra}
`;

type ScriptRedis = Redis & {
  tenderlyRateLimit(
    counterKey: string,
    readKey: string,
    windowMs: number,
    read: '0' | '1',
  ): Promise<[number, number, number]>;
};

function withScript(client: Redis): ScriptRedis {
  const scripted = client as ScriptRedis;
  if (typeof scripted.tenderlyRateLimit !== 'function') {
    client.defineCommand('tenderlyRateLimit', { numberOfKeys: 2, lua: SCRIPT });
  }
  return scripted;
}

/**
 * Fixed-window counters in Redis (one EVALSHA per call) when it is reachable, otherwise in this process's
 * memory, so limits keep holding per instance during an outage and are shared again when Redis returns.
 * Implements @fastify/rate-limit's documented `store` interface (incr + child).
 */
export class FailoverStore implements FastifyRateLimitStore {
  private readonly link: RedisLink | null;
  private readonly redis: ScriptRedis | null;
  private readonly nameSpace: string;
  private readonly piggyback: PiggybackRead | null;
  private readonly local: LocalWindows;

  constructor(
    link: RedisLink | null,
    nameSpace: string,
    options: { piggyback?: PiggybackRead; cacheSize?: number } = {},
  ) {
    this.link = link;
    this.redis = link ? withScript(link.client) : null;
    this.nameSpace = nameSpace;
    this.piggyback = options.piggyback ?? null;
    this.local = new LocalWindows(options.cacheSize ?? 10_000);
  }

  incr(key: string, callback: Callback, timeWindow: number): void {
    const { link, redis } = this;
    if (!link || !redis || !link.available) {
      callback(null, this.local.incr(key, timeWindow));
      return;
    }
    const readKey = this.piggyback?.keyFor(key) ?? null;
    redis
      .tenderlyRateLimit(this.nameSpace + key, readKey ?? this.nameSpace, timeWindow, readKey ? '1' : '0')
      .then(
        ([current, ttl, extra]) => {
          if (readKey) this.piggyback?.observe(key, readKey, extra);
          callback(null, { current, ttl });
        },
        (error: unknown) => {
          // A failure seen mid-request (e.g. a stalled server) is counted locally rather than failing the request.
          link.reportFailure(error);
          callback(null, this.local.incr(key, timeWindow));
        },
      );
  }

  /** Promise form, for callers outside @fastify/rate-limit. */
  increment(key: string, timeWindow: number): Promise<RateCount> {
    return new Promise((resolve, reject) => {
      this.incr(key, (error, result) => (error || !result ? reject(error) : resolve(result)), timeWindow);
    });
  }

  // Every route shares the global bucket per principal; per-route limits are not used.
  child(): FailoverStore {
    return this;
  }
}
