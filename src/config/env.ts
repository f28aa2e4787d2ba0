import { isIP } from 'node:net';
import { z } from 'zod';

const int = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, { message: `expected an integer between ${min} and ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int()
        .min(min, `expected an integer between ${min} and ${max}`)
        .max(max, `expected an integer between ${min} and ${max}`),
    );
const num = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+(\.\d+)?$/, { message: `expected a number between ${min} and ${max}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(min, `expected a number between ${min} and ${max}`)
        .max(max, `expected a number between ${min} and ${max}`),
    );
const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);
const url = z.url({ message: 'expected a URL' });

/** proxy-addr's named ranges, which Fastify accepts beside addresses and CIDRs. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const TRUST_PROXY_FORM =
  'expected false or comma-separated proxy addresses/CIDRs, e.g. 172.28.53.10 or 172.28.53.0/24';

function isProxyEntry(entry: string): boolean {
  if (PROXY_RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/**
 * The proxies whose X-Forwarded-For is believed: their addresses or networks, never a hop count (Fastify
 * trusts no proxy for a number) nor `true` (the header of whoever connects would be believed).
 */
const trustProxy = z.string().transform((raw, ctx): false | string[] => {
  const value = raw.trim();
  if (value.toLowerCase() === 'false') return false;
  let message: string | null = null;
  if (/^\d+$/.test(value))
    message = `a hop count is not accepted (Fastify would trust no proxy); ${TRUST_PROXY_FORM}`;
  else if (value.toLowerCase() === 'true')
    message = `true would believe X-Forwarded-For from any peer; ${TRUST_PROXY_FORM}`;
  const entries = value.split(',').map((s) => s.trim());
  const bad = entries.filter((e) => !isProxyEntry(e));
  if (!message && bad.length > 0) message = `${TRUST_PROXY_FORM} (not an address: ${bad.join(', ')})`;
  if (message) {
    ctx.addIssue({ code: 'custom', message });
    return z.NEVER;
  }
  return entries;
});

/** Every environment variable the service reads, with the legacy Python names beside the new ones. */
export const EnvSchema = z.object({
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: int(0, 65535).default(8000),
  NODE_ENV: z
    .enum(['development', 'production', 'test'], { message: 'expected development, production or test' })
    .default('development'),
  LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      message: 'expected a pino level (fatal…trace, silent)',
    })
    .default('info'),

  API_KEYS: z
    .string()
    .regex(/^\s*[A-Za-z0-9._-]+:[^,:\s]+(\s*,\s*[A-Za-z0-9._-]+:[^,\s]+)*\s*$/, {
      message: 'expected comma-separated service:key pairs (key may be sha256:<64 hex>)',
    })
    .optional(),
  API_KEY: z.string().min(16, 'expected a key of at least 16 characters').optional(),
  ALLOWED_SERVICES: list.optional(),
  API_KEY_LIMITS: z
    .string()
    .regex(/^\s*[A-Za-z0-9._-]+:\d+(\s*,\s*[A-Za-z0-9._-]+:\d+)*\s*$/, {
      message: 'expected comma-separated service:max pairs',
    })
    .optional(),
  JWT_SECRET: z.string().min(32, 'expected a secret of at least 32 characters').optional(),
  JWT_SECRET_KEY: z.string().min(32, 'expected a secret of at least 32 characters').optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),

  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: url.optional(),
  OPENAI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  OPENAI_TIMEOUT_MS: int(100, 600_000).default(30_000),
  OPENAI_DEADLINE_MS: int(100, 600_000).default(25_000),
  OPENAI_MAX_RETRIES: int(0, 10).default(2),
  OPENAI_RETRY_BASE_MS: int(0, 60_000).default(500),
  OPENAI_TEMPERATURE: num(0, 2).default(0.2),
  OPENAI_MAX_TOKENS: int(64, 32_000).default(1500),
  DIAGNOSIS_PROVIDER: z
    .enum(['auto', 'openai', 'knowledge-base'], { message: 'expected auto, openai or knowledge-base' })
    .default('auto'),
  DIAGNOSIS_FALLBACK: z
    .enum(['knowledge-base', 'none'], { message: 'expected knowledge-base or none' })
    .default('knowledge-base'),

  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { message: 'expected a redis:// or rediss:// URL' })
    .optional(),
  REDIS_HOST: z.string().min(1).optional(),
  REDIS_PORT: int(1, 65535).optional(),
  REDIS_PASSWORD: z.string().optional(),
  REDIS_DB: int(0, 15).optional(),
  REDIS_SENTINELS: z
    .string()
    .regex(/^\s*[^\s,:]+:\d{1,5}(\s*,\s*[^\s,:]+:\d{1,5})*\s*$/, {
      message: 'expected comma-separated host:port pairs of Redis Sentinels',
    })
    .optional(),
  REDIS_SENTINEL_NAME: z.string().min(1).default('mymaster'),
  REDIS_SENTINEL_PASSWORD: z.string().optional(),
  REDIS_CONNECT_TIMEOUT_MS: int(50, 60_000).default(1000),

  RATE_LIMIT_MAX: int(1, 1_000_000).optional(),
  RATE_LIMIT_WINDOW_MS: int(1000, 86_400_000).optional(),
  RATE_LIMIT_REQUESTS: int(1, 1_000_000).optional(),
  RATE_LIMIT_WINDOW: int(1, 86_400).optional(),
  RATE_LIMIT_ON_REDIS_ERROR: z
    .enum(['open', 'closed'], { message: 'expected open or closed' })
    .default('open'),
  AUTH_FAILURE_LIMIT: int(1, 1_000_000).default(20),
  DAILY_TOKEN_BUDGET: int(1, 1_000_000_000_000).optional(),
  UPSTREAM_RPM: int(1, 10_000_000).optional(),
  UPSTREAM_TPM: int(1, 10_000_000_000).optional(),
  UPSTREAM_MAX_CONCURRENCY: int(1, 100_000).default(256),
  UPSTREAM_QUEUE_MS: int(0, 60_000).default(250),
  INTERVIEW_MAX_QUESTIONS: int(0, 50).default(12),

  AUDIT_LOG_PATH: z.string().min(1).optional(),
  AUDIT_HASH_SALT: z.string().min(16, 'expected a salt of at least 16 characters').optional(),

  METRICS_PORT: int(1, 65535).optional(),
  METRICS_TOKEN: z.string().min(16, 'expected a token of at least 16 characters').optional(),
  MODEL_PRICES: z.string().optional(),

  CORS_ORIGINS: list.default([]),
  BODY_LIMIT_BYTES: int(1024, 10_485_760).default(65_536),
  TRUST_PROXY: trustProxy.default(false),
  UNDER_PRESSURE_MAX_EVENT_LOOP_DELAY_MS: int(0, 60_000).default(1000),
  UNDER_PRESSURE_MAX_ELU: num(0, 1).default(0),
  UNDER_PRESSURE_MAX_HEAP_BYTES: int(0, 1_000_000_000_000).default(0),
  SHUTDOWN_GRACE_MS: int(100, 600_000).default(30_000),
});

export type Env = z.infer<typeof EnvSchema>;

/** Variables whose values must never be echoed back in an error line. */
export const SECRET_VARIABLES = new Set([
  'API_KEYS',
  'API_KEY',
  'JWT_SECRET',
  'JWT_SECRET_KEY',
  'OPENAI_API_KEY',
  'REDIS_PASSWORD',
  'REDIS_URL',
  'REDIS_SENTINEL_PASSWORD',
  'AUDIT_HASH_SALT',
  'METRICS_TOKEN',
]);
