import type { FastifyInstance } from 'fastify';

// Placeholder: legacy /api/v1 routes for the Python agent's back end are being built.
export default async function legacyRoutes(_app: FastifyInstance): Promise<void> {}
