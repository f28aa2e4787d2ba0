import fp from 'fastify-plugin';

// Placeholder: the rate-limit plugin is being built (see the issue tracker). Registered here so app.ts stays stable.
export default fp(async () => {}, { name: 'rate-limit' });
