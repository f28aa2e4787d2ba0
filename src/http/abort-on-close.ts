import type { FastifyReply } from 'fastify';

/** A signal that fires when the client hangs up before the answer is sent, so no paid call runs for nobody. */
export function abortOnClientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
