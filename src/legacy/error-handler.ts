import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { LegacyValidationError, missing } from './fastapi-errors.ts';
import { RETRY_AFTER_UNAVAILABLE_S, errorLogFields, toApiError } from '../http/error-mapping.ts';

const UPSTREAM_UNAVAILABLE = 'The diagnosis engine is unavailable. Try again later.';

function sendDetail(
  reply: FastifyReply,
  status: number,
  detail: unknown,
  headers: Record<string, string> = {},
): FastifyReply {
  return reply.code(status).headers(headers).type('application/json; charset=utf-8').send({ detail });
}

/**
 * Errors on the legacy routes in FastAPI's shapes: 422 `{"detail": [{loc, msg, type}]}` for bad
 * bodies; `{"detail": "…"}` otherwise. Classification is the canonical one (toApiError); upstream
 * failures of every kind are 503 here, the status the back end treats as "use your fallback".
 */
export function legacyErrorHandler(
  error: FastifyError | Error,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  if (error instanceof LegacyValidationError) return sendDetail(reply, 422, error.detail);
  const code = (error as { code?: string }).code;
  if (code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendDetail(reply, 422, [missing(['body'])]);
  if (code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return sendDetail(reply, 422, [
      { type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', ctx: { error: 'Invalid JSON' } },
    ]);
  }

  const apiError = toApiError(error);
  request.errorCode = apiError.code;
  let status = apiError.statusCode;
  const headers = { ...apiError.headers };
  if (status === 400) {
    return sendDetail(reply, 422, [{ type: 'value_error', loc: ['body'], msg: apiError.message }]);
  }
  if (status === 502 || status === 504) {
    status = 503;
    headers['retry-after'] ??= String(RETRY_AFTER_UNAVAILABLE_S);
  }
  if (status >= 500) request.log.error({ ...errorLogFields(error), code: apiError.code }, 'request failed');
  const detail = status !== apiError.statusCode ? UPSTREAM_UNAVAILABLE : apiError.message;
  return sendDetail(reply, status, detail, headers);
}

export function legacyNotFoundHandler(_request: FastifyRequest, reply: FastifyReply): FastifyReply {
  return sendDetail(reply, 404, 'Not Found');
}

/**
 * Plugins outside the legacy context (load shedding, rate limiting, auth-failure blocking) answer
 * some requests themselves in the canonical error shape, as an object or pre-serialized; on legacy
 * routes that body becomes `{"detail": "…"}`. Objects are rewritten before serialization (so the
 * routes' FastAPI-shaped response schemas hold), strings just before sending.
 */
export function toFastApiShape(statusCode: number, payload: unknown): unknown {
  if (statusCode < 400) return payload;
  if (typeof payload === 'string') {
    if (!payload.startsWith('{"error":')) return payload;
    try {
      const rewritten = toFastApiShape(statusCode, JSON.parse(payload));
      return typeof rewritten === 'object' && rewritten !== null && 'detail' in rewritten
        ? JSON.stringify(rewritten)
        : payload;
    } catch {
      return payload;
    }
  }
  if (payload === null || typeof payload !== 'object' || 'detail' in payload) return payload;
  const message = (payload as { error?: { message?: unknown } }).error?.message;
  return typeof message === 'string' ? { detail: message } : payload;
}
