import { E_TIMEOUT, Semaphore, withTimeout, type SemaphoreInterface } from 'async-mutex';
import type { Redis } from 'ioredis';
import {
  pauseFromProvider,
  UpstreamThrottled,
  type CallReport,
  type GovernorTelemetry,
  type ThrottleReason,
  type UpstreamGovernor,
  type UpstreamPermit,
} from '../domain/providers/upstream-governor.ts';

export interface UpstreamLimits {
  /** Requests per minute across every replica; null for no ceiling. */
  readonly rpm: number | null;
  /** Estimated tokens per minute across every replica; null for no ceiling. */
  readonly tpm: number | null;
  /** Calls in flight at once on this instance. */
  readonly maxConcurrency: number;
  /** How long a call may wait for a free slot before it is refused. */
  readonly queueMs: number;
  /** Tokens one call may use (the completion cap): below this many remaining, the provider is paused. */
  readonly callTokens: number;
}

const WINDOW_MS = 60_000;
const PREFIX = 'tenderly:upstream';

// One round trip: the shared pause, then both ceilings of the current minute, reserved together or not at all.
const ACQUIRE = `
local pause = redis.call('PTTL', KEYS[2])
if pause > 0 then return {0, 'upstream_paused', pause} end
local r = tonumber(redis.call('HGET', KEYS[1], 'r') or '0')
local t = tonumber(redis.call('HGET', KEYS[1], 't') or '0')
local rpm, tpm, est = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
if rpm > 0 and r + 1 > rpm then return {0, 'requests_per_minute', tonumber(ARGV[4])} end
if tpm > 0 and t + est > tpm then return {0, 'tokens_per_minute', tonumber(ARGV[4])} end
redis.call('HINCRBY', KEYS[1], 'r', 1)
redis.call('HINCRBY', KEYS[1], 't', est)
redis.call('PEXPIRE', KEYS[1], 2 * ${WINDOW_MS})
return {1, 'ok', 0}
`;

// One round trip after a call: the minute's counts corrected (only while that minute's key lives, so a late
// correction never creates a key without expiry) and, when the provider said so, the shared pause.
const SETTLE = `
if redis.call('EXISTS', KEYS[1]) == 1 then
  local t, r = tonumber(ARGV[1]), tonumber(ARGV[2])
  if t ~= 0 then redis.call('HINCRBY', KEYS[1], 't', t) end
  if r ~= 0 then redis.call('HINCRBY', KEYS[1], 'r', r) end
end
local pause = tonumber(ARGV[3])
if pause > 0 then redis.call('SET', KEYS[2], '1', 'PX', pause) end
return 1
`;

type AcquireReply = [number, string, number];
type GovernorRedis = Redis & {
  tenderlyUpstreamAcquire(...args: (string | number)[]): Promise<AcquireReply>;
  tenderlyUpstreamSettle(...args: (string | number)[]): Promise<number>;
};

interface WindowCounts {
  minute: number;
  requests: number;
  tokens: number;
}

/**
 * Ceilings per clock minute, shared through Redis (one Lua call per upstream call) and kept in process
 * memory when Redis is absent or failing, so a Redis outage never stops diagnoses.
 */
export class RedisUpstreamGovernor implements UpstreamGovernor {
  private readonly slots: SemaphoreInterface;
  private local: WindowCounts = { minute: 0, requests: 0, tokens: 0 };
  private localPauseUntil = 0;

  constructor(
    private readonly limits: UpstreamLimits,
    private readonly redis: Redis | null,
    private readonly telemetry: GovernorTelemetry,
  ) {
    this.slots = withTimeout(new Semaphore(limits.maxConcurrency), limits.queueMs);
    redis?.defineCommand('tenderlyUpstreamAcquire', { numberOfKeys: 2, lua: ACQUIRE });
    redis?.defineCommand('tenderlyUpstreamSettle', { numberOfKeys: 2, lua: SETTLE });
  }

  async acquire(estimatedTokens: number): Promise<UpstreamPermit> {
    const now = Date.now();
    const minute = Math.floor(now / WINDOW_MS);
    const untilNextWindow = (minute + 1) * WINDOW_MS - now;
    const refusal = await this.reserve(minute, estimatedTokens, untilNextWindow);
    if (refusal) throw this.refuse(refusal.reason, refusal.waitMs);
    let release: () => void;
    try {
      [, release] = await this.slots.acquire();
    } catch (error) {
      if (error !== E_TIMEOUT) throw error;
      await this.report(minute, -estimatedTokens, -1, undefined);
      throw this.refuse('concurrency', 1000);
    }
    this.telemetry.inFlight(1);
    let settled = false;
    return {
      settle: async (report: CallReport) => {
        if (settled) return;
        settled = true;
        release();
        this.telemetry.inFlight(-1);
        const tokens = report.tokens !== undefined ? report.tokens - estimatedTokens : 0;
        await this.report(minute, tokens, 0, pauseFromProvider(report, this.limits.callTokens));
      },
    };
  }

  private refuse(reason: ThrottleReason, waitMs: number): UpstreamThrottled {
    this.telemetry.throttled(reason);
    return new UpstreamThrottled(reason, waitMs / 1000);
  }

  private async reserve(
    minute: number,
    tokens: number,
    untilNextWindow: number,
  ): Promise<{ reason: ThrottleReason; waitMs: number } | null> {
    if (this.redis?.status === 'ready') {
      try {
        const [ok, reason, wait] = await (this.redis as GovernorRedis).tenderlyUpstreamAcquire(
          `${PREFIX}:${minute}`,
          `${PREFIX}:pause`,
          this.limits.rpm ?? 0,
          this.limits.tpm ?? 0,
          tokens,
          untilNextWindow,
        );
        return ok === 1 ? null : { reason: reason as ThrottleReason, waitMs: wait };
      } catch {
        // Redis failed mid-call: govern this instance alone rather than stop diagnoses.
      }
    }
    return this.reserveLocally(minute, tokens, untilNextWindow);
  }

  private reserveLocally(minute: number, tokens: number, untilNextWindow: number) {
    const now = Date.now();
    if (this.localPauseUntil > now)
      return { reason: 'upstream_paused' as const, waitMs: this.localPauseUntil - now };
    if (this.local.minute !== minute) this.local = { minute, requests: 0, tokens: 0 };
    const { rpm, tpm } = this.limits;
    if (rpm !== null && this.local.requests + 1 > rpm)
      return { reason: 'requests_per_minute' as const, waitMs: untilNextWindow };
    if (tpm !== null && this.local.tokens + tokens > tpm)
      return { reason: 'tokens_per_minute' as const, waitMs: untilNextWindow };
    this.local.requests += 1;
    this.local.tokens += tokens;
    return null;
  }

  /**
   * After a call (or a reservation given back): corrects the minute's counts once the real usage is known, and
   * stops every replica from sending until the provider's own limit resets when it said so. One Redis round trip
   * at most; the local counts and pause follow the same report.
   */
  private async report(minute: number, tokens: number, requests: number, pauseMs: number | undefined) {
    if (this.local.minute === minute) {
      this.local.tokens += tokens;
      this.local.requests += requests;
    }
    if (pauseMs !== undefined) this.localPauseUntil = Math.max(this.localPauseUntil, Date.now() + pauseMs);
    // Token counts matter only under a tokens ceiling; a given-back request only when it was counted.
    const tokensDelta = this.limits.tpm !== null ? tokens : 0;
    if (this.redis?.status !== 'ready' || (tokensDelta === 0 && requests === 0 && pauseMs === undefined))
      return;
    try {
      await (this.redis as GovernorRedis).tenderlyUpstreamSettle(
        `${PREFIX}:${minute}`,
        `${PREFIX}:pause`,
        tokensDelta,
        requests,
        pauseMs === undefined ? 0 : Math.max(1, Math.ceil(pauseMs)),
      );
    } catch {
      // A lost correction only makes the next minute's estimate slightly off; the local pause still holds here.
    }
  }
}
