import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ProviderError } from '../domain/providers/types.ts';
import { ApiError, type ErrorDetail } from './api-error.ts';

interface ValidationIssue {
  instancePath: string;
  message?: string;
  keyword?: string;
  params?: Record<string, unknown>;
}

function dotted(instancePath: string, prefix: string | undefined): string {
  const path = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  return prefix && prefix !== 'body' ? [prefix, path].filter(Boolean).join('.') : path || '(body)';
}

/** One detail per bad field; an unknown key is named by its own path. */
export function validationDetails(issues: readonly ValidationIssue[], context?: string): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  for (const issue of issues) {
    const base = dotted(issue.instancePath, context);
    const keys =
      issue.keyword === 'unrecognized_keys' ? (issue.params?.keys as string[] | undefined) : undefined;
    if (keys?.length) {
      for (const key of keys) {
        details.push({
          path: base === '(body)' ? key : `${base}.${key}`,
          message: `Unknown field "${key}".`,
        });
      }
    } else {
      details.push({ path: base, message: issue.message ?? 'Invalid value.' });
    }
  }
  return details;
}

/** Seconds a client is told to wait after an upstream failure that gave no retry-after of its own. */
export const RETRY_AFTER_UNAVAILABLE_S = 30;

/** Maps anything thrown while handling a request onto the client-facing error. Never exposes upstream text. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (hasZodFastifySchemaValidationErrors(error)) {
    const context = (error as { validationContext?: string }).validationContext;
    return new ApiError(400, 'validation_failed', 'The request is invalid; see details.', {
      details: validationDetails(error.validation, context),
    });
  }
  if (error instanceof ProviderError) {
    const retryAfter = String(Math.max(1, Math.ceil(error.retryAfterSeconds ?? RETRY_AFTER_UNAVAILABLE_S)));
    switch (error.kind) {
      case 'timeout':
        return new ApiError(
          504,
          'upstream_timeout',
          'The diagnosis engine did not answer in time. Try again later.',
        );
      case 'invalid_output':
        return new ApiError(
          502,
          'upstream_invalid_output',
          'The diagnosis engine returned an unusable answer.',
        );
      case 'upstream_throttled':
        return new ApiError(
          429,
          'upstream_throttled',
          'The diagnosis engine is at its usage ceiling. Retry after the time in Retry-After.',
          { headers: { 'retry-after': retryAfter } },
        );
      case 'rate_limited':
      case 'unavailable':
      case 'not_configured':
        return new ApiError(
          503,
          'upstream_unavailable',
          'The diagnosis engine is unavailable. Try again later.',
          {
            headers: { 'retry-after': retryAfter },
          },
        );
    }
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  switch (fastifyError.statusCode) {
    case 400:
      return new ApiError(400, 'invalid_request', sanitizeFrameworkMessage(fastifyError));
    case 404:
      return new ApiError(404, 'not_found', 'No such route.');
    case 413:
      return new ApiError(413, 'payload_too_large', 'The request body is too large.');
    case 415:
      return new ApiError(415, 'unsupported_media_type', 'Send the body as application/json.');
    case 429:
      return new ApiError(429, 'rate_limited', 'Too many requests. Retry after the time in Retry-After.');
    case 503:
      return new ApiError(503, 'service_unavailable', 'The service is overloaded. Try again later.');
  }
  return new ApiError(500, 'internal_error', 'Something went wrong on our side.');
}

// Framework 400s (bad JSON, empty body) get a fixed message: the parser's text can quote the body.
function sanitizeFrameworkMessage(error: { code?: string }): string {
  if (error.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return 'The request body is empty; send a JSON object.';
  if (error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error.code === undefined)
    return 'The request body is not valid JSON.';
  return 'The request is invalid.';
}
