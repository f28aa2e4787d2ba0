import type { Principal } from '../domain/principal.ts';

/** Redis key prefixes, one per kind of shared state. */
export const KEY_PREFIX = {
  rateLimit: 'tenderly:rl:',
  authFailures: 'tenderly:auth-fail:',
  tokenBudget: 'tenderly:budget:',
} as const;

/** The bucket of an authenticated caller: its kind keeps an API-key service and a JWT subject of the same name apart. */
export function principalKey(principal: Principal): string {
  return `${principal.kind}:${principal.id}`;
}
