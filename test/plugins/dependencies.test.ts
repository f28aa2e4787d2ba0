import Fastify, { type FastifyPluginAsync } from 'fastify';
import { describe, expect, it } from 'vitest';
import auditPlugin from '../../src/plugins/audit.ts';
import authPlugin from '../../src/plugins/auth.ts';
import configPlugin from '../../src/plugins/config.ts';
import diagnosisPlugin from '../../src/plugins/diagnosis.ts';
import diagnosisOutcomePlugin from '../../src/plugins/diagnosis-outcome.ts';
import docsPlugin from '../../src/plugins/docs.ts';
import errorsPlugin from '../../src/plugins/errors.ts';
import gracefulClosePlugin from '../../src/plugins/graceful-close.ts';
import metricsPlugin from '../../src/plugins/metrics.ts';
import rateLimitPlugin from '../../src/plugins/rate-limit.ts';
import readinessPlugin from '../../src/plugins/readiness.ts';
import redisPlugin from '../../src/plugins/redis.ts';
import requestLogPlugin from '../../src/plugins/request-log.ts';
import securityPlugin from '../../src/plugins/security.ts';
import tokenBudgetPlugin from '../../src/plugins/token-budget.ts';
import underPressurePlugin from '../../src/plugins/under-pressure.ts';
import { testConfig } from '../support/app.ts';

// The order src/app.ts registers them in.
const PLUGINS = [
  configPlugin,
  errorsPlugin,
  authPlugin,
  gracefulClosePlugin,
  requestLogPlugin,
  securityPlugin,
  underPressurePlugin,
  readinessPlugin,
  redisPlugin,
  diagnosisOutcomePlugin,
  metricsPlugin,
  tokenBudgetPlugin,
  rateLimitPlugin,
  auditPlugin,
  diagnosisPlugin,
  docsPlugin,
] as unknown as FastifyPluginAsync[];

interface Meta {
  name: string;
  dependencies?: string[];
}
const metaOf = (plugin: FastifyPluginAsync) =>
  (plugin as unknown as Record<symbol, Meta | undefined>)[Symbol.for('plugin-meta')];
const byName = new Map(PLUGINS.map((p) => [metaOf(p)?.name as string, p]));
const dependenciesOf = (name: string) => metaOf(byName.get(name) as FastifyPluginAsync)?.dependencies ?? [];

/** `name` and everything it needs, directly or not. */
function closure(name: string, out = new Set<string>()): Set<string> {
  if (out.has(name)) return out;
  out.add(name);
  for (const dependency of dependenciesOf(name)) closure(dependency, out);
  return out;
}

/** Registers the named plugins in the app's order, each with the options the app gives it. */
async function register(names: Set<string>, last?: string): Promise<void> {
  const app = Fastify({ logger: false });
  const config = testConfig();
  try {
    for (const plugin of PLUGINS) {
      const name = metaOf(plugin)?.name as string;
      if (!names.has(name) || name === last) continue;
      await app.register(plugin, name === 'config' ? ({ config } as object) : {});
    }
    if (last) await app.register(byName.get(last) as FastifyPluginAsync);
    await app.ready();
  } finally {
    await app.close();
  }
}

// Every (plugin, dependency) pair: the plugin registered with all it needs except that one dependency.
const EDGES = PLUGINS.map((p) => metaOf(p)?.name as string).flatMap((name) =>
  dependenciesOf(name).map((dependency) => [name, dependency] as const),
);

describe('plugin dependencies', () => {
  it('every plugin is named, and the ones that read what others decorate say so', () => {
    expect(PLUGINS.every((p) => metaOf(p)?.name)).toBe(true);
    expect(
      Object.fromEntries(
        EDGES.filter(([name]) => ['diagnosis', 'rate-limit', 'token-budget'].includes(name)).reduce(
          (map, [name, dependency]) => map.set(name, [...(map.get(name) ?? []), dependency]),
          new Map<string, string[]>(),
        ),
      ),
    ).toEqual({
      'token-budget': expect.arrayContaining(['redis', 'auth', 'diagnosis-outcome']),
      'rate-limit': expect.arrayContaining(['redis', 'auth', 'token-budget']),
      diagnosis: expect.arrayContaining(['metrics', 'diagnosis-outcome']),
    });
  });

  it('the app’s order satisfies every declared dependency', async () => {
    await expect(register(new Set(byName.keys()))).resolves.toBeUndefined();
  });

  it.each(EDGES)('%s fails to load without %s registered before it', async (name, dependency) => {
    // Leave out the dependency and whatever else cannot load without it; the plugin names the first of
    // its dependencies that is missing (the left-out one, or one that needs it).
    const without = new Set([...closure(name)].filter((n) => n === name || !closure(n).has(dependency)));
    const missing = dependenciesOf(name).filter((n) => !without.has(n));
    expect(missing).toContain(dependency);
    await expect(register(without, name)).rejects.toThrow(
      `The dependency '${missing[0]}' of plugin '${name}' is not registered`,
    );
  });

  it('rate limiting registered before the token budget fails loudly', async () => {
    const app = Fastify({ logger: false });
    const boot = async () => {
      await app.register(configPlugin, { config: testConfig({ DAILY_TOKEN_BUDGET: '1000' }) });
      for (const plugin of [errorsPlugin, authPlugin, readinessPlugin, redisPlugin])
        await app.register(plugin);
      await app.register(rateLimitPlugin);
      await app.register(tokenBudgetPlugin);
      await app.ready();
    };
    try {
      await expect(boot()).rejects.toThrow(
        "The dependency 'token-budget' of plugin 'rate-limit' is not registered",
      );
    } finally {
      await app.close();
    }
  });
});
