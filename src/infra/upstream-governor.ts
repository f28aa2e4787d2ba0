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

type AcquireReply = [number, string, number];

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
      await this.adjustTokens(minute, -estimatedTokens, -1);
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
        if (report.tokens !== undefined) await this.adjustTokens(minute, report.tokens - estimatedTokens, 0);
        const pauseMs = pauseFromProvider(report, this.limits.callTokens);
        if (pauseMs !== undefined) await this.pause(pauseMs);
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
        const [ok, reason, wait] = (await (
          this.redis as Redis & {
            tenderlyUpstreamAcquire: (...a: (string | number)[]) => Promise<AcquireReply>;
          }
        ).tenderlyUpstreamAcquire(
          `${PREFIX}:${minute}`,
          `${PREFIX}:pause`,
          this.limits.rpm ?? 0,
          this.limits.tpm ?? 0,
          tokens,
          untilNextWindow,
        )) as AcquireReply;
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

  /** Corrects the minute's counts once the real usage is known (or gives back an unsent reservation). */
  private async adjustTokens(minute: number, tokens: number, requests: number): Promise<void> {
    if (this.local.minute === minute) {
      this.local.tokens += tokens;
      this.local.requests += requests;
    }
    // Token counts matter only under a tokens ceiling; a given-back request only when it was counted.
    const tokensMatter = this.limits.tpm !== null && tokens !== 0;
    if (this.redis?.status !== 'ready' || (!tokensMatter && requests === 0)) return;
    try {
      const key = `${PREFIX}:${minute}`;
      if (tokensMatter) await this.redis.hincrby(key, 't', tokens);
      if (requests !== 0) await this.redis.hincrby(key, 'r', requests);
    } catch {
      // A lost correction only makes the next minute's estimate slightly off.
    }
  }

  /** Stops every replica from sending until the provider's own limit resets. */
  private async pause(ms: number): Promise<void> {
    this.localPauseUntil = Math.max(this.localPauseUntil, Date.now() + ms);
    if (this.redis?.status !== 'ready') return;
    try {
      await this.redis.set(`${PREFIX}:pause`, '1', 'PX', Math.max(1, Math.ceil(ms)));
    } catch {
      // The local pause still holds on this instance.
    }
  }
}
