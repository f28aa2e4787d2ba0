import fp from 'fastify-plugin';

// Placeholder: the metrics plugin is being built (see the issue tracker). Registered here so app.ts stays stable.
export default fp(async () => {}, { name: 'metrics' });
