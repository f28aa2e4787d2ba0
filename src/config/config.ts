import { createHash, randomBytes } from 'node:crypto';
import { EnvSchema, SECRET_VARIABLES, type Env } from './env.ts';
import { parseModelPrices, type ModelPrices } from './model-prices.ts';
import { weakSecrets } from './secrets.ts';

export interface ApiKeyEntry {
  /** The credential's name, and so its rate-limit principal: its service, or the legacy key's first service. */
  readonly id: string;
  /** Services this key may name in X-Service-Name (a label only); the first when none is named. */
  readonly services: readonly string[];
  /** SHA-256 of the key, so raw keys need not stay in memory and comparison is fixed-length. */
  readonly digest: Buffer;
}

export interface RedisConfig {
  readonly url: string | null;
  /** Sentinels to ask for the current primary of `sentinelName`; null = connect to url or host directly. */
  readonly sentinels: readonly { readonly host: string; readonly port: number }[] | null;
  readonly sentinelName: string;
  readonly sentinelPassword: string | undefined;
  readonly host: string;
  readonly port: number;
  readonly password: string | undefined;
  readonly db: number;
  readonly connectTimeoutMs: number;
}

export interface AppConfig {
  readonly host: string;
  readonly port: number;
  readonly nodeEnv: Env['NODE_ENV'];
  readonly logLevel: Env['LOG_LEVEL'];
  readonly auth: {
    readonly apiKeys: readonly ApiKeyEntry[];
    readonly jwt: { readonly secret: string; readonly issuer?: string; readonly audience?: string } | null;
    /** Set only in development when no credential was configured. */
    readonly generatedDevKey: string | null;
  };
  /** Weak credentials tolerated outside production: printed once at start-up (never their values). */
  readonly warnings: readonly string[];
  readonly provider: {
    readonly primary: 'openai' | 'knowledge-base';
    readonly fallback: 'knowledge-base' | 'none';
  };
  readonly openai: {
    readonly apiKey: string | undefined;
    readonly baseURL: string | undefined;
    readonly model: string;
    readonly timeoutMs: number;
    readonly deadlineMs: number;
    readonly maxRetries: number;
    readonly retryBaseMs: number;
    readonly temperature: number;
    readonly maxTokens: number;
    readonly prices: ModelPrices;
  };
  readonly redis: RedisConfig | null;
  readonly rateLimit: {
    readonly max: number;
    readonly windowMs: number;
    readonly perService: Readonly<Record<string, number>>;
    readonly onRedisError: 'open' | 'closed';
    readonly authFailureMax: number;
  };
  readonly dailyTokenBudget: number | null;
  /** Ceilings on calls to the model provider; rpm/tpm shared across replicas through Redis. */
  readonly upstream: {
    readonly rpm: number | null;
    readonly tpm: number | null;
    readonly maxConcurrency: number;
    readonly queueMs: number;
  };
  /** Questions one interview may ask in total (0 turns interview questions off). */
  readonly interviewMaxQuestions: number;
  readonly audit: { readonly path: string | null; readonly salt: string };
  readonly metrics: { readonly port: number | null; readonly token: string | null };
  /** Load shedding thresholds; 0 turns one off. */
  readonly underPressure: {
    readonly maxEventLoopDelayMs: number;
    readonly maxEventLoopUtilization: number;
    readonly maxHeapUsedBytes: number;
  };
  readonly http: {
    readonly corsOrigins: readonly string[];
    readonly bodyLimitBytes: number;
    /** Addresses/CIDRs of the proxies whose X-Forwarded-For is believed, or false. */
    readonly trustProxy: false | readonly string[];
    readonly shutdownGraceMs: number;
  };
}

export class ConfigError extends Error {
  readonly lines: readonly string[];
  constructor(lines: string[]) {
    super(`Invalid configuration:\n${lines.join('\n')}`);
    this.name = 'ConfigError';
    this.lines = lines;
  }
}

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

function parseApiKeys(env: Env): ApiKeyEntry[] {
  const entries: ApiKeyEntry[] = [];
  for (const pair of (env.API_KEYS ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const at = pair.indexOf(':');
    const service = pair.slice(0, at);
    const key = pair.slice(at + 1);
    const hashed = /^sha256:([0-9a-f]{64})$/i.exec(key);
    entries.push({
      id: service,
      services: [service],
      digest: hashed ? Buffer.from(hashed[1] as string, 'hex') : sha256(key),
    });
  }
  if (env.API_KEY) {
    // The Python service had one key shared by every allowed service: one credential, one bucket.
    const services = env.ALLOWED_SERVICES?.length ? env.ALLOWED_SERVICES : ['tenderly-backend'];
    entries.push({ id: services[0] as string, services, digest: sha256(env.API_KEY) });
  }
  return entries;
}

function parsePairs(raw: string | undefined): Record<string, number> {
  const out: Record<string, number> = {};
  for (const pair of (raw ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const [name, value] = pair.split(':') as [string, string];
    out[name] = Number(value);
  }
  return out;
}

function redisConfig(env: Env): RedisConfig | null {
  if (!env.REDIS_URL && !env.REDIS_HOST && !env.REDIS_SENTINELS) return null;
  const sentinels = env.REDIS_SENTINELS?.split(',').map((pair) => {
    const [host, port] = pair.trim().split(':') as [string, string];
    return { host, port: Number(port) };
  });
  return {
    url: env.REDIS_URL ?? null,
    sentinels: sentinels ?? null,
    sentinelName: env.REDIS_SENTINEL_NAME,
    sentinelPassword: env.REDIS_SENTINEL_PASSWORD || undefined,
    host: env.REDIS_HOST ?? '127.0.0.1',
    port: env.REDIS_PORT ?? 6379,
    password: env.REDIS_PASSWORD || undefined,
    db: env.REDIS_DB ?? 0,
    connectTimeoutMs: env.REDIS_CONNECT_TIMEOUT_MS,
  };
}

/** Empty variables (VAR= in an env file) mean "unset", as in most deployment tools. */
function withoutEmpty(raw: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) if (value !== undefined && value !== '') out[key] = value;
  return out;
}

/** Validates the environment; throws ConfigError with one line per bad variable, never a secret's value. */
export function loadConfig(rawEnv: NodeJS.ProcessEnv): AppConfig {
  const parsed = EnvSchema.safeParse(withoutEmpty(rawEnv));
  if (!parsed.success) {
    const lines = new Map<string, string>();
    for (const issue of parsed.error.issues) {
      const name = String(issue.path[0] ?? '(environment)');
      if (lines.has(name)) continue;
      const message = SECRET_VARIABLES.has(name)
        ? issue.message.replace(/received .*/i, '').trim()
        : issue.message;
      lines.set(name, `${name}: ${message}`);
    }
    throw new ConfigError([...lines.values()]);
  }
  const env = parsed.data;
  const problems: string[] = [];

  const apiKeys = parseApiKeys(env);
  const jwtSecret = env.JWT_SECRET ?? env.JWT_SECRET_KEY;
  let generatedDevKey: string | null = null;
  if (apiKeys.length === 0 && !jwtSecret) {
    if (env.NODE_ENV === 'production') {
      problems.push('API_KEYS or JWT_SECRET: at least one credential is required when NODE_ENV=production');
    } else {
      generatedDevKey = `dev_${randomBytes(24).toString('base64url')}`;
      apiKeys.push({ id: 'dev', services: ['dev'], digest: sha256(generatedDevKey) });
    }
  }

  // Short keys and published defaults refuse production; elsewhere they only warn.
  const weak = weakSecrets(env).map(
    (line) => `${line} (use ≥ 32 random characters, e.g. openssl rand -hex 32)`,
  );
  const warnings: string[] = [];
  if (env.NODE_ENV === 'production') problems.push(...weak);
  else warnings.push(...weak);

  const primary =
    env.DIAGNOSIS_PROVIDER === 'auto'
      ? env.OPENAI_API_KEY
        ? 'openai'
        : 'knowledge-base'
      : env.DIAGNOSIS_PROVIDER;
  if (primary === 'openai' && !env.OPENAI_API_KEY) {
    problems.push('OPENAI_API_KEY: required when DIAGNOSIS_PROVIDER=openai');
  }

  let prices: ModelPrices = {};
  try {
    prices = parseModelPrices(env.MODEL_PRICES);
  } catch (error) {
    problems.push(`MODEL_PRICES: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw new ConfigError(problems);

  return {
    host: env.HOST,
    port: env.PORT,
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    auth: {
      apiKeys,
      jwt: jwtSecret
        ? {
            secret: jwtSecret,
            ...(env.JWT_ISSUER ? { issuer: env.JWT_ISSUER } : {}),
            ...(env.JWT_AUDIENCE ? { audience: env.JWT_AUDIENCE } : {}),
          }
        : null,
      generatedDevKey,
    },
    warnings,
    provider: { primary, fallback: env.DIAGNOSIS_FALLBACK },
    openai: {
      apiKey: env.OPENAI_API_KEY,
      baseURL: env.OPENAI_BASE_URL,
      model: env.OPENAI_MODEL,
      timeoutMs: env.OPENAI_TIMEOUT_MS,
      deadlineMs: env.OPENAI_DEADLINE_MS,
      maxRetries: env.OPENAI_MAX_RETRIES,
      retryBaseMs: env.OPENAI_RETRY_BASE_MS,
      temperature: env.OPENAI_TEMPERATURE,
      maxTokens: env.OPENAI_MAX_TOKENS,
      prices,
    },
    redis: redisConfig(env),
    rateLimit: {
      max: env.RATE_LIMIT_MAX ?? env.RATE_LIMIT_REQUESTS ?? 60,
      windowMs: env.RATE_LIMIT_WINDOW_MS ?? (env.RATE_LIMIT_WINDOW ? env.RATE_LIMIT_WINDOW * 1000 : 60_000),
      perService: parsePairs(env.API_KEY_LIMITS),
      onRedisError: env.RATE_LIMIT_ON_REDIS_ERROR,
      authFailureMax: env.AUTH_FAILURE_LIMIT,
    },
    dailyTokenBudget: env.DAILY_TOKEN_BUDGET ?? null,
    upstream: {
      rpm: env.UPSTREAM_RPM ?? null,
      tpm: env.UPSTREAM_TPM ?? null,
      maxConcurrency: env.UPSTREAM_MAX_CONCURRENCY,
      queueMs: env.UPSTREAM_QUEUE_MS,
    },
    interviewMaxQuestions: env.INTERVIEW_MAX_QUESTIONS,
    audit: { path: env.AUDIT_LOG_PATH ?? null, salt: env.AUDIT_HASH_SALT ?? randomBytes(16).toString('hex') },
    metrics: { port: env.METRICS_PORT ?? null, token: env.METRICS_TOKEN ?? null },
    underPressure: {
      maxEventLoopDelayMs: env.UNDER_PRESSURE_MAX_EVENT_LOOP_DELAY_MS,
      maxEventLoopUtilization: env.UNDER_PRESSURE_MAX_ELU,
      maxHeapUsedBytes: env.UNDER_PRESSURE_MAX_HEAP_BYTES,
    },
    http: {
      corsOrigins: env.CORS_ORIGINS,
      bodyLimitBytes: env.BODY_LIMIT_BYTES,
      trustProxy: env.TRUST_PROXY,
      shutdownGraceMs: env.SHUTDOWN_GRACE_MS,
    },
  };
}
