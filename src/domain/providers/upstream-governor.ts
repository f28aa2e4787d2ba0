/**
 * Governance of the calls to the model provider across replicas: shared requests- and tokens-per-minute
 * ceilings, a per-instance cap on concurrent calls, and a shared pause when the provider says it is at
 * its own limit. A refused call is never sent; the pipeline answers from the fallback instead.
 */
export type ThrottleReason = 'requests_per_minute' | 'tokens_per_minute' | 'concurrency' | 'upstream_paused';

export class UpstreamThrottled extends Error {
  readonly reason: ThrottleReason;
  readonly retryAfterSeconds: number;

  constructor(reason: ThrottleReason, retryAfterSeconds: number) {
    super(`Upstream call not sent: ${reason.replaceAll('_', ' ')}`);
    this.name = 'UpstreamThrottled';
    this.reason = reason;
    this.retryAfterSeconds = Math.max(1, Math.ceil(retryAfterSeconds));
  }
}

/** What the governor reports for metrics. */
export interface GovernorTelemetry {
  throttled(reason: ThrottleReason): void;
  /** +1 when a call is sent, -1 when it settles. */
  inFlight(delta: number): void;
}

/** What one call told us, to correct the token estimate and adapt to the provider's own limits. */
export interface CallReport {
  /** Tokens the call really used (prompt + completion); absent when it failed. */
  readonly tokens?: number;
  /** The provider's response headers (x-ratelimit-remaining-*, retry-after), when it answered. */
  readonly headers?: Headers | null;
  readonly rateLimited?: boolean;
}

export interface UpstreamPermit {
  /** Returns the concurrency slot and reports the outcome; call exactly once. */
  settle(report: CallReport): Promise<void>;
}

export interface UpstreamGovernor {
  /** Reserves one call with an estimated token count, or throws UpstreamThrottled. */
  acquire(estimatedTokens: number): Promise<UpstreamPermit>;
}

const NO_OP_PERMIT: UpstreamPermit = { settle: async () => {} };

/** No ceilings: every call is sent (the default when nothing is configured). */
export const UNGOVERNED: UpstreamGovernor = { acquire: async () => NO_OP_PERMIT };

/** "1s", "6m0s", "20ms", "1h2m3.5s" (the provider's reset format) → milliseconds. */
export function parseResetDuration(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const pattern = /(\d+(?:\.\d+)?)(ms|h|m|s)/g;
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
  let total = 0;
  let matched = false;
  for (const m of value.matchAll(pattern)) {
    total += Number(m[1]) * unit[m[2] as keyof typeof unit];
    matched = true;
  }
  return matched ? Math.ceil(total) : undefined;
}

/** Seconds from a retry-after header (seconds or an HTTP date). */
export function retryAfterSeconds(headers: Headers | null | undefined): number | undefined {
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/**
 * How long every replica should stop sending, from what the provider said: its retry-after on a 429,
 * or the reset time of a budget it reports as exhausted.
 */
export function pauseFromProvider(report: CallReport, minTokens: number): number | undefined {
  const h = report.headers;
  if (report.rateLimited) return (retryAfterSeconds(h) ?? 1) * 1000;
  if (!h) return undefined;
  const remainingRequests = Number(h.get('x-ratelimit-remaining-requests') ?? NaN);
  const remainingTokens = Number(h.get('x-ratelimit-remaining-tokens') ?? NaN);
  const pauses: number[] = [];
  if (remainingRequests === 0) pauses.push(parseResetDuration(h.get('x-ratelimit-reset-requests')) ?? 1000);
  if (Number.isFinite(remainingTokens) && remainingTokens < minTokens)
    pauses.push(parseResetDuration(h.get('x-ratelimit-reset-tokens')) ?? 1000);
  return pauses.length ? Math.max(...pauses) : undefined;
}
