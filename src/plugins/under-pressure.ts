import fp from 'fastify-plugin';

// Placeholder: the under-pressure plugin is being built (see the issue tracker). Registered here so app.ts stays stable.
export default fp(async () => {}, { name: 'under-pressure' });
