import type { TokenUsage } from '../providers/types.ts';

const DAY_MS = 86_400_000;

/** The UTC calendar day a budget counts against, as YYYY-MM-DD. */
export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}

/** When today's budget resets: the next UTC midnight. */
export function nextUtcMidnight(now: number): Date {
  return new Date(Math.floor(now / DAY_MS) * DAY_MS + DAY_MS);
}

/** Tokens a model call cost; knowledge-base answers (no usage) cost nothing. */
export function tokensUsed(usage: TokenUsage | null | undefined): number {
  if (!usage) return 0;
  return Math.max(0, usage.promptTokens) + Math.max(0, usage.completionTokens);
}

export interface BudgetVerdict {
  exhausted: boolean;
  used: number;
  limit: number;
  resetsAt: Date;
  /** Whole seconds until the reset, at least 1. */
  retryAfterSeconds: number;
}

/** A principal may start a request while it has used less than its daily budget. */
export function judgeBudget(used: number, limit: number, now: number): BudgetVerdict {
  const resetsAt = nextUtcMidnight(now);
  return {
    exhausted: used >= limit,
    used,
    limit,
    resetsAt,
    retryAfterSeconds: Math.max(1, Math.ceil((resetsAt.getTime() - now) / 1000)),
  };
}
