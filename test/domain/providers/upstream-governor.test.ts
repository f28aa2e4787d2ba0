import { describe, expect, it } from 'vitest';
import {
  parseResetDuration,
  pauseFromProvider,
  UpstreamThrottled,
} from '../../../src/domain/providers/upstream-governor.ts';

describe('reading the provider’s own limits', () => {
  it.each([
    ['1s', 1000],
    ['6m0s', 360_000],
    ['20ms', 20],
    ['1h2m3.5s', 3_723_500],
    ['', undefined],
    ['soon', undefined],
  ])('reset "%s" is %s ms', (value, ms) => {
    expect(parseResetDuration(value)).toBe(ms);
  });

  it('pauses for retry-after on a 429, and for the reset time when a budget is exhausted', () => {
    expect(pauseFromProvider({ rateLimited: true, headers: new Headers({ 'retry-after': '7' }) }, 500)).toBe(
      7000,
    );
    expect(pauseFromProvider({ rateLimited: true, headers: null }, 500)).toBe(1000);
    const exhausted = new Headers({
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': '12s',
    });
    expect(pauseFromProvider({ headers: exhausted }, 500)).toBe(12_000);
    const fewTokens = new Headers({
      'x-ratelimit-remaining-requests': '40',
      'x-ratelimit-remaining-tokens': '300',
      'x-ratelimit-reset-tokens': '2s',
    });
    expect(pauseFromProvider({ headers: fewTokens }, 500)).toBe(2000);
    expect(
      pauseFromProvider({ headers: new Headers({ 'x-ratelimit-remaining-requests': '3' }) }, 500),
    ).toBeUndefined();
  });

  it('tells the client to wait at least a second', () => {
    expect(new UpstreamThrottled('concurrency', 0.2).retryAfterSeconds).toBe(1);
  });
});
