import fp from 'fastify-plugin';

/** One line per request: method, route pattern, status, duration, request id, principal — never bodies. */
export default fp(
  async (app) => {
    app.addHook('onSend', async (request, reply) => {
      reply.header('x-request-id', request.id);
    });
    app.addHook('onResponse', async (request, reply) => {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url ?? 'unmatched',
          status: reply.statusCode,
          duration_ms: Math.round(reply.elapsedTime * 100) / 100,
          principal: request.principal?.id ?? null,
        },
        'request completed',
      );
    });
  },
  { name: 'request-log', dependencies: ['auth'] },
);
