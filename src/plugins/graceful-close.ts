import fp from 'fastify-plugin';

/**
 * During shutdown, answers still in flight are sent with `Connection: close`: otherwise a keep-alive
 * client holds the server open until its idle timeout and the grace period runs out.
 */
export default fp(
  async (app) => {
    let closing = false;
    app.addHook('preClose', async () => {
      closing = true;
      app.server.closeIdleConnections?.();
    });
    app.addHook('onSend', (_request, reply, payload, done) => {
      if (closing) reply.header('connection', 'close');
      done(null, payload);
    });
  },
  { name: 'graceful-close' },
);
