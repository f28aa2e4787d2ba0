import fp from 'fastify-plugin';

/** One line per request: method, route pattern, status, duration, request id, principal — never bodies. */
export default fp(
  async (app) => {
    // Callback hooks, not async ones: on every request, a promise and a microtask each are measurable.
    app.addHook('onSend', (request, reply, payload, done) => {
      reply.header('x-request-id', request.id);
      done(null, payload);
    });
    app.addHook('onResponse', (request, reply, done) => {
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
      done();
    });
  },
  { name: 'request-log', dependencies: ['auth'] },
);
