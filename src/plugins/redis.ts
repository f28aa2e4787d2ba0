import fp from 'fastify-plugin';

// Placeholder: the redis plugin is being built (see the issue tracker). Registered here so app.ts stays stable.
export default fp(async () => {}, { name: 'redis' });
