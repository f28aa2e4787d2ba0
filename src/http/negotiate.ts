import Negotiator from 'negotiator';
import { LruMap } from 'toad-cache';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from './api-error.ts';

export const FHIR_MEDIA_TYPE = 'application/fhir+json';
/** What the FHIR answer is sent as: R4 is FHIR version 4.0 in the media type's fhirVersion parameter. */
export const FHIR_CONTENT_TYPE = `${FHIR_MEDIA_TYPE}; fhirVersion=4.0`;
/** Sent with the charset, like the JSON answer: without one Fastify would re-serialise the parameters in lower case. */
export const FHIR_CONTENT_TYPE_HEADER = `${FHIR_CONTENT_TYPE}; charset=utf-8`;

// The parameters each answer really has, so an Accept naming them (charset, fhirVersion) still matches; JSON first,
// so it wins ties (no Accept, */*, application/*).
const PRODUCED = ['application/json; charset=utf-8', FHIR_CONTENT_TYPE_HEADER];

export type ResponseFormat = 'json' | 'fhir';

// Clients send the same few Accept headers; parsing one costs ~4 µs (axios' default), so answers are remembered,
// for a bounded number of short headers (a flood of distinct or huge ones cannot grow memory).
const CACHED_ACCEPTS = 256;
const CACHED_ACCEPT_LENGTH = 256;
const formats = new LruMap<ResponseFormat | null>(CACHED_ACCEPTS);

function negotiate(accept: string): ResponseFormat | null {
  const best = new Negotiator({ headers: { accept } }).mediaType(PRODUCED);
  if (best === undefined) return null;
  return best.startsWith(FHIR_MEDIA_TYPE) ? 'fhir' : 'json';
}

/** The format the Accept header prefers, with q-values honoured; null when it accepts neither. */
export function preferredFormat(accept: string | undefined): ResponseFormat | null {
  // A blank Accept says nothing, like a missing one.
  if (accept === undefined || accept.trim() === '') return 'json';
  if (accept.length > CACHED_ACCEPT_LENGTH) return negotiate(accept);
  let format = formats.get(accept);
  if (format === undefined) {
    format = negotiate(accept);
    formats.set(accept, format);
  }
  return format;
}

/** Route hook: refuses an Accept the route cannot produce with 406, before any work (or rate limit) is spent. */
export async function requireAcceptable(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  // The answer depends on Accept, so caches must key on it (errors included).
  const vary = reply.getHeader('vary');
  reply.header('vary', vary ? `${String(vary)}, Accept` : 'Accept');
  if (preferredFormat(request.headers.accept) !== null) return;
  throw new ApiError(
    406,
    'not_acceptable',
    `This route answers in application/json or ${FHIR_CONTENT_TYPE}; the Accept header allows neither.`,
  );
}
