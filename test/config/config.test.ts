import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, sha256 } from '../../src/config/config.ts';
import { BACKEND_API_KEY, BACKEND_JWT_SECRET } from '../support/backend-client.ts';

function configErrorLines(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.lines];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('gives one line per bad variable, naming it and the expected form', () => {
    const lines = configErrorLines({ OPENAI_TIMEOUT_MS: 'abc', PORT: '70000', DIAGNOSIS_PROVIDER: 'gpt' });
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.startsWith('OPENAI_TIMEOUT_MS:'))).toMatch(/integer/);
    expect(lines.find((l) => l.startsWith('PORT:'))).toMatch(/between 0 and 65535/);
    expect(lines.find((l) => l.startsWith('DIAGNOSIS_PROVIDER:'))).toMatch(/auto, openai or knowledge-base/);
  });

  it('never prints the value of a secret it rejects', () => {
    const lines = configErrorLines({ JWT_SECRET: 'too-short-secret-XYZZY', API_KEY: 'shortXYZZY' });
    expect(lines.join('\n')).not.toContain('XYZZY');
    expect(lines.some((l) => l.startsWith('JWT_SECRET:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('API_KEY:'))).toBe(true);
  });

  it('refuses production without any credential', () => {
    expect(configErrorLines({ NODE_ENV: 'production' })).toEqual([
      'API_KEYS or JWT_SECRET: at least one credential is required when NODE_ENV=production',
    ]);
  });

  it('requires an OpenAI key when the OpenAI provider is forced', () => {
    expect(configErrorLines({ DIAGNOSIS_PROVIDER: 'openai', API_KEYS: 'a:b' })).toEqual([
      'OPENAI_API_KEY: required when DIAGNOSIS_PROVIDER=openai',
    ]);
  });

  it('generates a development key only when no credential is configured', () => {
    const dev = loadConfig({});
    expect(dev.auth.generatedDevKey).toMatch(/^dev_/);
    expect(dev.auth.apiKeys).toHaveLength(1);
    expect(loadConfig({ API_KEYS: 'svc:key' }).auth.generatedDevKey).toBeNull();
  });

  it('parses API keys, hashed keys and the legacy API_KEY with its services', () => {
    const digest = sha256('hashed-secret').toString('hex');
    const config = loadConfig({
      API_KEYS: `web:plain-secret, mobile:sha256:${digest}`,
      API_KEY: 'legacy-key-0123456789',
      ALLOWED_SERVICES: 'tenderly-backend,admin',
    });
    expect(config.auth.apiKeys.map((k) => k.services)).toEqual([
      ['web'],
      ['mobile'],
      ['tenderly-backend', 'admin'],
    ]);
    expect(config.auth.apiKeys[1]?.digest.equals(sha256('hashed-secret'))).toBe(true);
  });

  it('accepts the Python service variable names', () => {
    const config = loadConfig({
      API_KEYS: 'a:b',
      JWT_SECRET_KEY: 'shared-jwt-secret-key-for-ai-agent',
      RATE_LIMIT_REQUESTS: '100',
      RATE_LIMIT_WINDOW: '30',
      REDIS_HOST: 'redis',
      REDIS_PORT: '6380',
      REDIS_PASSWORD: 'pw',
      REDIS_DB: '2',
    });
    expect(config.auth.jwt?.secret).toBe('shared-jwt-secret-key-for-ai-agent');
    expect(config.rateLimit).toMatchObject({ max: 100, windowMs: 30_000 });
    expect(config.redis).toMatchObject({ host: 'redis', port: 6380, password: 'pw', db: 2, url: null });
  });

  it('picks the knowledge base for auto without an OpenAI key, and OpenAI with one', () => {
    expect(loadConfig({ API_KEYS: 'a:b' }).provider.primary).toBe('knowledge-base');
    expect(loadConfig({ API_KEYS: 'a:b', OPENAI_API_KEY: 'sk-x' }).provider.primary).toBe('openai');
  });

  it('takes TRUST_PROXY as the proxies’ addresses or networks', () => {
    const trust = (value: string) => loadConfig({ API_KEYS: 'a:b', TRUST_PROXY: value }).http.trustProxy;
    expect(trust('172.28.53.10')).toEqual(['172.28.53.10']);
    expect(trust(' 172.28.53.0/24 , fd00::/8,loopback ')).toEqual(['172.28.53.0/24', 'fd00::/8', 'loopback']);
    expect(trust('false')).toBe(false);
    expect(loadConfig({ API_KEYS: 'a:b' }).http.trustProxy).toBe(false);
  });

  it('refuses hop counts, true and non-addresses in TRUST_PROXY with one line', () => {
    const line = (value: string) => configErrorLines({ TRUST_PROXY: value });
    // Fastify trusts no proxy for a number: every client would share nginx's address.
    expect(line('1')).toEqual([expect.stringMatching(/^TRUST_PROXY: a hop count is not accepted/)]);
    expect(line('true')).toEqual([expect.stringMatching(/^TRUST_PROXY: true would believe X-Forwarded-For/)]);
    expect(line('abc')).toEqual([
      expect.stringMatching(/^TRUST_PROXY: expected false or comma-separated .*\(not an address: abc\)$/),
    ]);
    expect(line('10.0.0.0/33,10.0.0.1')).toEqual([expect.stringContaining('not an address: 10.0.0.0/33')]);
  });

  describe('weak credentials', () => {
    const STRONG = 'k7Qm2xVb9LpR4tWz8NcY3hJf6GdS1aEu';
    const weakEnv = {
      API_KEYS: `backend:1,reports:${STRONG},hashed:sha256:${'ab'.repeat(32)}`,
      API_KEY: BACKEND_API_KEY,
      ALLOWED_SERVICES: 'tenderly-backend',
      JWT_SECRET_KEY: BACKEND_JWT_SECRET,
    };

    it('refuse production with one line each, never printing a value', () => {
      const lines = configErrorLines({ NODE_ENV: 'production', ...weakEnv });
      expect(lines).toEqual([
        expect.stringMatching(/^API_KEYS: the key of service "backend" is shorter than 32 characters/),
        expect.stringMatching(/^API_KEY: the value is a published default or placeholder/),
        expect.stringMatching(/^JWT_SECRET_KEY: the value is a published default or placeholder/),
      ]);
      for (const value of [BACKEND_API_KEY, BACKEND_JWT_SECRET, STRONG, 'backend:1'])
        expect(lines.join('\n')).not.toContain(value);
    });

    it.each([
      ['a 31-character key', { API_KEYS: `svc:${STRONG.slice(1)}` }, /^API_KEYS: .*shorter than 32/],
      ['a repetitive key', { API_KEYS: `svc:${'ab'.repeat(20)}` }, /^API_KEYS: .*not random/],
      ['a placeholder key', { API_KEYS: 'svc:your-api-key-here-0123456789abcdefgh' }, /placeholder/],
      [
        'the .env.docker placeholder',
        { JWT_SECRET: 'CHANGE-ME-CHANGE-ME-CHANGE-ME-0123456789' },
        /^JWT_SECRET: /,
      ],
      ['a repetitive JWT secret', { JWT_SECRET: 'x'.repeat(40) }, /^JWT_SECRET: .*not random/],
    ])('refuse production with %s', (_name, env, line) => {
      expect(configErrorLines({ NODE_ENV: 'production', ...env })).toEqual([expect.stringMatching(line)]);
    });

    it('only warn in development and test', () => {
      for (const NODE_ENV of ['development', 'test']) {
        const config = loadConfig({ NODE_ENV, ...weakEnv });
        expect(config.warnings).toHaveLength(3);
        expect(config.warnings.join('\n')).not.toContain(BACKEND_JWT_SECRET);
      }
    });

    it('accept strong random credentials in production, and hashed keys unjudged', () => {
      const config = loadConfig({
        NODE_ENV: 'production',
        API_KEYS: `backend:${STRONG},hashed:sha256:${'ab'.repeat(32)}`,
        JWT_SECRET: `${STRONG}-2`,
      });
      expect(config.warnings).toEqual([]);
      expect(config.auth.apiKeys).toHaveLength(2);
    });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ API_KEYS: 'a:b', REDIS_URL: '', OPENAI_API_KEY: '' }).redis).toBeNull();
  });
});
