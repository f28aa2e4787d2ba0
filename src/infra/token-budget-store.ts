import { utcDay } from '../domain/budget/daily-budget.ts';
import { KEY_PREFIX } from './keys.ts';
import type { RedisLink } from './redis.ts';

/** How long a principal's shared total is trusted before it is read again; bounds the extra Redis reads. */
const DEFAULT_CACHE_MS = 1000;
/** Keys outlive their day a little, so a clock skew between replicas never resets a count early. */
const KEY_TTL_S = 2 * 86_400;
const MAX_ENTRIES = 50_000;

interface DayCount {
  day: string;
  tokens: number;
}

interface CachedTotal extends DayCount {
  readAt: number;
}

/**
 * Tokens used per principal per UTC day: INCRBY + EXPIRE on a key per day in Redis, else in process memory.
 * The shared total normally arrives with the rate-limit round trip (observeShared); otherwise reads are
 * cached briefly, so the hot path never adds more than one GET per principal per second per instance.
 * Usage recorded while Redis is down is kept locally and added to the shared count when Redis returns.
 */
export class TokenBudgetStore {
  private readonly link: RedisLink | null;
  private readonly cacheMs: number;
  /** Last total read from (or returned by) Redis. */
  private readonly shared = new Map<string, CachedTotal>();
  /** Usage not (yet) in Redis: all of it without Redis, the outage's share with it. */
  private readonly local = new Map<string, DayCount>();

  constructor(link: RedisLink | null, options: { cacheMs?: number } = {}) {
    this.link = link;
    this.cacheMs = options.cacheMs ?? DEFAULT_CACHE_MS;
  }

  async used(principal: string, now = Date.now()): Promise<number> {
    const day = utcDay(now);
    const pending = this.localTokens(principal, day);
    const { link } = this;
    if (!link) return pending;
    const cached = this.shared.get(principal);
    const known = cached?.day === day ? cached.tokens : 0;
    if ((cached?.day === day && now - cached.readAt < this.cacheMs) || !link.available)
      return known + pending;
    try {
      const value = await link.client.get(this.key(principal, day));
      const tokens = Number(value ?? 0) || 0;
      this.remember(this.shared, principal, { day, tokens, readAt: now });
      return tokens + pending;
    } catch (error) {
      link.reportFailure(error);
      return known + pending;
    }
  }

  /** The shared key holding `principal`'s count today, for reading it alongside another command. */
  sharedKey(principal: string, now = Date.now()): string {
    return this.key(principal, utcDay(now));
  }

  /** Takes a total read elsewhere (in the rate-limit round trip) as the fresh shared count. */
  observeShared(principal: string, sharedKey: string, tokens: number, now = Date.now()): void {
    const day = utcDay(now);
    if (sharedKey !== this.key(principal, day)) return; // the day turned in between
    this.link?.reportSuccess();
    this.remember(this.shared, principal, { day, tokens, readAt: now });
  }

  async add(principal: string, tokens: number, now = Date.now()): Promise<void> {
    if (tokens <= 0) return;
    const day = utcDay(now);
    const pending = this.localTokens(principal, day) + tokens;
    const { link } = this;
    if (!link || !link.available) {
      this.remember(this.local, principal, { day, tokens: pending });
      return;
    }
    const key = this.key(principal, day);
    try {
      const results = await link.client.multi().incrby(key, pending).expire(key, KEY_TTL_S).exec();
      const [incrError, total] = results?.[0] ?? [new Error('transaction discarded'), null];
      if (incrError) throw incrError;
      this.local.delete(principal);
      this.remember(this.shared, principal, { day, tokens: Number(total), readAt: now });
    } catch (error) {
      link.reportFailure(error);
      this.remember(this.local, principal, { day, tokens: pending });
    }
  }

  private key(principal: string, day: string): string {
    return `${KEY_PREFIX.tokenBudget}${day}:${principal}`;
  }

  private localTokens(principal: string, day: string): number {
    const entry = this.local.get(principal);
    return entry?.day === day ? entry.tokens : 0;
  }

  private remember<T>(map: Map<string, T>, principal: string, value: T): void {
    map.delete(principal);
    if (map.size >= MAX_ENTRIES) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    map.set(principal, value);
  }
}
