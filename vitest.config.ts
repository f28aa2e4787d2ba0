import { defineConfig } from 'vitest/config';

// Test files that start real services (redis-server, prometheus, nginx, server processes) or run long
// load/chaos scenarios; everything else is the fast "unit" project (`npm run test:unit`).
const SERVICE_TESTS = [
  'test/deploy/**/*.test.ts',
  'test/infra/redis-sentinel.test.ts',
  'test/monitoring/**/*.test.ts',
  'test/plugins/rate-limit.test.ts',
  'test/plugins/redis.test.ts',
  'test/plugins/redis-outage.test.ts',
  'test/plugins/token-budget.test.ts',
  'test/plugins/upstream-governor.test.ts',
  'test/reliability/**/*.test.ts',
  'test/server.test.ts',
];

export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    reporters: ['default', 'json'],
    outputFile: { json: '.tmp/vitest-results.json' },
    projects: [
      {
        extends: true,
        test: { name: 'unit', include: ['test/**/*.test.ts'], exclude: SERVICE_TESTS, isolate: false },
      },
      { extends: true, test: { name: 'services', include: SERVICE_TESTS } },
    ],
  },
});
