import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SECURITY_HEADERS } from './security-headers.ts';

const CLIENT_ERRORS: Record<string, [status: number, code: string, message: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'headers_too_large', 'The request headers are too large.'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'request_timeout', 'The request was not received in time.'],
};

/**
 * Errors Fastify raises before any hook runs (a malformed URL such as /v1/%E0%A4%A): the error shape
 * and the security headers, which the hooks would otherwise have added.
 */
export function frameworkErrorHandler(error: Error, request: FastifyRequest, reply: FastifyReply): void {
  const bad = (error as { code?: string }).code === 'FST_ERR_BAD_URL';
  const [status, code, message] = bad
    ? [400, 'invalid_request', 'The request URL is not valid (malformed percent-encoding).']
    : [500, 'internal_error', 'The request could not be handled.'];
  request.errorCode = code;
  void reply
    .code(status)
    .headers({ ...SECURITY_HEADERS, 'cache-control': 'no-store', 'x-request-id': request.id })
    .type('application/json; charset=utf-8')
    .send({ error: { code, message }, request_id: request.id });
}

/**
 * Errors Node's HTTP parser raises before Fastify sees a request (431 header block too large, 408, a
 * malformed request line): written on the socket by hand, in the error shape with the security headers.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = CLIENT_ERRORS[error.code ?? ''] ?? [
    400,
    'invalid_request',
    'The request is not valid HTTP.',
  ];
  if (socket.writable) {
    const body = JSON.stringify({ error: { code, message }, request_id: randomUUID() });
    const headers = {
      ...SECURITY_HEADERS,
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(Buffer.byteLength(body)),
      connection: 'close',
    };
    const head = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`);
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\n${head.join('')}\r\n${body}`);
  }
  socket.destroy(error);
}
