import OpenAI from 'openai';
import { ProviderError } from '../types.ts';
import { retryAfterSeconds } from '../upstream-governor.ts';

export type UpstreamOutcome =
  'ok' | 'timeout' | 'rate_limited' | 'upstream_error' | 'invalid_output' | 'repaired';

export interface ClassifiedFailure {
  error: ProviderError;
  outcome: UpstreamOutcome;
  retryable: boolean;
}

/** Maps whatever the SDK threw onto a failure kind; the upstream's own text is kept only as `cause`. */
export function classifyUpstreamError(error: unknown): ClassifiedFailure {
  // The SDK throws this when the attempt's timeout fires, before or after the headers (the transport buffers).
  if (error instanceof OpenAI.APIConnectionTimeoutError) {
    return {
      error: new ProviderError('timeout', 'The model did not answer in time.', { cause: error }),
      outcome: 'timeout',
      retryable: true,
    };
  }
  if (error instanceof OpenAI.RateLimitError) {
    const after = retryAfterSeconds(error.headers);
    return {
      error: new ProviderError('rate_limited', 'The model provider is rate limiting this service.', {
        cause: error,
        ...(after !== undefined ? { retryAfterSeconds: after } : {}),
      }),
      outcome: 'rate_limited',
      retryable: true,
    };
  }
  if (error instanceof OpenAI.APIError && error.status !== undefined) {
    const serverSide = error.status >= 500 || error.status === 408 || error.status === 409;
    return {
      error: new ProviderError('unavailable', 'The model provider returned an error.', { cause: error }),
      outcome: 'upstream_error',
      retryable: serverSide,
    };
  }
  // Connection refused or reset, DNS, a body that failed to parse: the network, retryable.
  return {
    error: new ProviderError('unavailable', 'The model provider could not be reached.', { cause: error }),
    outcome: 'upstream_error',
    retryable: true,
  };
}
