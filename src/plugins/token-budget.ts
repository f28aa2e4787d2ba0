import fp from 'fastify-plugin';
import { judgeBudget, tokensUsed } from '../domain/budget/daily-budget.ts';
import { ApiError } from '../http/api-error.ts';
import { principalKey } from '../infra/keys.ts';
import { TokenBudgetStore } from '../infra/token-budget-store.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Tokens used per principal per UTC day; null when DAILY_TOKEN_BUDGET is not set. */
    tokenBudget: TokenBudgetStore | null;
  }
}

/**
 * A daily cap on model tokens per principal (OWASP API4: unrestricted resource consumption). Diagnosis routes
 * are refused once a principal has used its budget for the UTC day; knowledge-base answers cost nothing.
 */
export default fp(
  async (app) => {
    const budget = app.config.dailyTokenBudget;
    const store = budget === null ? null : new TokenBudgetStore(app.redisLink);
    app.decorate('tokenBudget', store);
    if (budget === null || store === null) return;

    app.addHook('preHandler', async (request) => {
      if (!request.routeOptions.config.diagnosisRoute || !request.principal) return;
      const now = Date.now();
      const verdict = judgeBudget(await store.used(principalKey(request.principal), now), budget, now);
      if (!verdict.exhausted) return;
      throw new ApiError(
        429,
        'budget_exhausted',
        `The daily token budget of ${budget} tokens is used up; it resets at ${verdict.resetsAt.toISOString()}.`,
        { headers: { 'retry-after': String(verdict.retryAfterSeconds) } },
      );
    });

    // Counted before the response leaves, so the client's next request is judged on it.
    app.addHook('onSend', async (request) => {
      const usage = request.diagnosisOutcome?.result.usage;
      if (!usage || !request.principal) return;
      await store.add(principalKey(request.principal), tokensUsed(usage));
    });
  },
  { name: 'token-budget', dependencies: ['config', 'redis', 'auth', 'diagnosis-outcome'] },
);
