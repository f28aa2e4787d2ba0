import fp from 'fastify-plugin';

export interface DependencyStatus {
  status: 'up' | 'down';
  latency_ms?: number;
  detail?: Record<string, unknown>;
}

export interface ReadinessCheck {
  name: string;
  /** A required dependency that is down makes the instance not ready. */
  required: boolean;
  check: () => Promise<DependencyStatus>;
}

declare module 'fastify' {
  interface FastifyInstance {
    readinessChecks: ReadinessCheck[];
    checkReadiness: () => Promise<{ ready: boolean; dependencies: Record<string, DependencyStatus> }>;
  }
}

/** A registry other plugins add their dependency checks to; health routes read it. No check makes a paid call. */
export default fp(
  async (app) => {
    app.decorate('readinessChecks', [] as ReadinessCheck[]);
    app.decorate('checkReadiness', async () => {
      const results = await Promise.all(
        app.readinessChecks.map(async (c) => {
          try {
            return [c, await c.check()] as const;
          } catch {
            return [c, { status: 'down' } as DependencyStatus] as const;
          }
        }),
      );
      const dependencies: Record<string, DependencyStatus> = {};
      let ready = true;
      for (const [c, status] of results) {
        dependencies[c.name] = status;
        if (c.required && status.status === 'down') ready = false;
      }
      return { ready, dependencies };
    });
  },
  { name: 'readiness' },
);
