import { timingSafeEqual } from 'node:crypto';
import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyRequest } from 'fastify';
import { sha256, type ApiKeyEntry } from '../config/config.ts';
import type { Principal } from '../domain/principal.ts';
import { ApiError } from '../http/api-error.ts';

declare module 'fastify' {
  interface FastifyInstance {
    authenticate: (request: FastifyRequest) => Promise<void>;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub?: string; service?: boolean | string; [claim: string]: unknown };
  }
}

const unauthorized = (message: string) =>
  new ApiError(401, 'unauthorized', message, { headers: { 'www-authenticate': 'Bearer, ApiKey' } });

function findKey(entries: readonly ApiKeyEntry[], presented: string): ApiKeyEntry | null {
  const digest = sha256(presented);
  let match: ApiKeyEntry | null = null;
  // Compare against every entry, without an early exit, so timing says nothing about which matched.
  for (const entry of entries) {
    if (timingSafeEqual(entry.digest, digest) && !match) match = entry;
  }
  return match;
}

function single(header: string | string[] | undefined): string | undefined {
  return Array.isArray(header) ? header[0] : header;
}

/**
 * API keys (X-API-Key) and HS256 JWTs (Authorization: Bearer). Every credential presented must be valid:
 * a bad one is a 401 even when another would pass.
 */
export default fp(
  async (app) => {
    const { apiKeys, jwt: jwtConfig } = app.config.auth;
    if (jwtConfig) {
      await app.register(jwt, {
        secret: jwtConfig.secret,
        sign: { algorithm: 'HS256' },
        verify: {
          algorithms: ['HS256'],
          // A configured issuer/audience is required, not only checked when the token happens to carry it.
          requiredClaims: [
            'exp',
            ...(jwtConfig.issuer ? ['iss'] : []),
            ...(jwtConfig.audience ? ['aud'] : []),
          ],
          ...(jwtConfig.issuer ? { allowedIss: jwtConfig.issuer } : {}),
          ...(jwtConfig.audience ? { allowedAud: jwtConfig.audience } : {}),
        },
      });
    }
    app.decorateRequest('principal', null);

    app.decorate('authenticate', async (request: FastifyRequest) => {
      const presentedKey = single(request.headers['x-api-key']);
      const authorization = single(request.headers.authorization);
      if (presentedKey === undefined && authorization === undefined) {
        throw unauthorized('Missing credentials: send X-API-Key or Authorization: Bearer <token>.');
      }

      let keyEntry: ApiKeyEntry | null = null;
      if (presentedKey !== undefined) {
        keyEntry = findKey(apiKeys, presentedKey);
        if (!keyEntry) throw unauthorized('Invalid API key.');
      }

      let subject: string | null = null;
      if (authorization !== undefined) {
        if (!/^Bearer\s+\S+$/i.test(authorization))
          throw unauthorized('Authorization must be "Bearer <token>".');
        if (!jwtConfig) throw unauthorized('Bearer tokens are not accepted by this deployment.');
        try {
          const payload = await request.jwtVerify<{ sub?: unknown }>();
          subject = typeof payload.sub === 'string' && payload.sub ? payload.sub : null;
        } catch {
          throw unauthorized('Invalid or expired token.');
        }
        if (!subject) throw unauthorized('Token has no subject.');
      }

      const requestedService = single(request.headers['x-service-name']);
      if (keyEntry) {
        if (requestedService !== undefined && !keyEntry.services.includes(requestedService)) {
          throw new ApiError(
            403,
            'forbidden',
            'This API key does not belong to the service named in X-Service-Name.',
          );
        }
        // The credential is the principal (its bucket); the service it names only labels the request.
        const service = requestedService ?? (keyEntry.services[0] as string);
        request.principal = { id: keyEntry.id, kind: 'api-key', service };
      } else {
        request.principal = { id: subject as string, kind: 'jwt', service: null };
      }
    });
  },
  { name: 'auth', dependencies: ['config'] },
);
