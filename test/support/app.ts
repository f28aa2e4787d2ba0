import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { loadConfig, type AppConfig } from '../../src/config/config.ts';

/** 32+ characters, so NODE_ENV=production accepts them too. */
export const TEST_KEYS = {
  alpha: 'alpha-key-0123456789abcdef-ghijklmn',
  beta: 'beta-key-0123456789abcdef0-ghijklmno',
};
export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-123';

/** A sink that keeps every log line, so tests can assert what was (not) logged. */
export class LogCapture extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
  records(): Array<Record<string, unknown>> {
    return this.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  }
}

export function testConfig(env: Record<string, string | undefined> = {}): AppConfig {
  return loadConfig({
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    API_KEYS: `alpha:${TEST_KEYS.alpha},beta:${TEST_KEYS.beta}`,
    JWT_SECRET: TEST_JWT_SECRET,
    DIAGNOSIS_PROVIDER: 'knowledge-base',
    OPENAI_RETRY_BASE_MS: '10',
    ...env,
  });
}

export interface TestApp {
  app: FastifyInstance;
  logs: LogCapture;
  config: AppConfig;
}

/** Boots the real app in-process (no listening socket unless the test calls listen). */
export async function startTestApp(env: Record<string, string | undefined> = {}): Promise<TestApp> {
  const config = testConfig(env);
  const logs = new LogCapture();
  const app = await buildApp({ config, logStream: logs });
  await app.ready();
  return { app, logs, config };
}

export const SAMPLE_REQUEST = {
  patient: { age: 31, pregnancy_status: 'not_pregnant', menopausal_status: 'premenopausal' },
  symptoms: ['intense vulval itching', 'thick white cottage cheese discharge'],
  onset: 'gradual',
  severity: 'moderate',
  duration: '4 days',
  notes: 'SECRET-NOTE-6b1f worse after antibiotics',
} as const;
