// CPU profile of the full /v1/diagnose pipeline, in-process (app.inject, so the profile holds only the service's
// own work), with real Redis and, for the OpenAI provider, the fake model in its own process. Requests are sent
// in paced batches so that under-pressure never sheds them. Only the measured window is profiled.
//   node --import tsx bench/profile-pipeline.ts [knowledge-base|openai|legacy] [seconds]
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { startRedisServer } from '../test/support/redis-server.ts';
import { startChild } from './lib/child.ts';
import { BENCH_KEY, BENCH_SERVICE, DIAGNOSE_BODY, LEGACY_BODY } from './lib/fixtures.ts';
import { byArea, hotSpots } from './lib/profile.ts';

const ROOT = resolve(fileURLToPath(new URL('..', import.meta.url)));
const mode = (process.argv[2] ?? 'knowledge-base') as 'knowledge-base' | 'openai' | 'legacy';
const seconds = Number(process.argv[3] ?? 10);
const BATCH = 10;
const PAUSE_MS = 5;

const work = mkdtempSync(join(tmpdir(), 'tenderly-profile-'));
const redis = await startRedisServer();
const fake =
  mode === 'knowledge-base'
    ? null
    : await startChild('fake', join(ROOT, 'bench/servers/fake-openai.ts'), {
        logFile: join(work, 'fake.log'),
      });

const config = loadConfig({
  NODE_ENV: 'production',
  LOG_LEVEL: 'info',
  API_KEYS: `${BENCH_SERVICE}:${BENCH_KEY}`,
  REDIS_URL: redis.url,
  RATE_LIMIT_MAX: '1000000',
  AUDIT_LOG_PATH: join(work, 'audit.jsonl'),
  DIAGNOSIS_PROVIDER: mode === 'knowledge-base' ? 'knowledge-base' : 'openai',
  ...(fake ? { OPENAI_API_KEY: 'sk-bench', OPENAI_BASE_URL: fake.url } : {}),
});
// Logs go to a file, asynchronously, as pino writes to stdout in production (sonic-boom, sync: false).
const { default: pino } = await import('pino');
const app = await buildApp({
  config,
  logStream: pino.destination({ dest: join(work, 'app.log'), sync: false }),
});
await app.ready();

const legacy = mode === 'legacy';
const request = {
  method: 'POST' as const,
  url: legacy ? '/api/v1/diagnosis/' : '/v1/diagnose',
  headers: { 'content-type': 'application/json', 'x-api-key': BENCH_KEY, 'x-service-name': BENCH_SERVICE },
  payload: JSON.stringify(legacy ? LEGACY_BODY : DIAGNOSE_BODY),
};

async function run(ms: number): Promise<{ requests: number; statuses: Record<number, number> }> {
  const statuses: Record<number, number> = {};
  let requests = 0;
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const answers = await Promise.all(Array.from({ length: BATCH }, () => app.inject(request)));
    for (const a of answers) statuses[a.statusCode] = (statuses[a.statusCode] ?? 0) + 1;
    requests += BATCH;
    await new Promise((r) => setTimeout(r, PAUSE_MS));
  }
  return { requests, statuses };
}

await run(3000); // warm-up
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const started = performance.now();
const cpuBefore = process.cpuUsage();
const result = await run(seconds * 1000);
const cpu = process.cpuUsage(cpuBefore);
const { profile } = await session.post('Profiler.stop');
const elapsed = (performance.now() - started) / 1000;

const dir = join(ROOT, 'bench', 'results', 'profiles');
mkdirSync(dir, { recursive: true });
const file = join(dir, `pipeline-${mode}.cpuprofile`);
writeFileSync(file, JSON.stringify(profile));
const cpuMsPerRequest = (cpu.user + cpu.system) / 1000 / result.requests;
console.log(
  `${mode}: ${result.requests} requests in ${elapsed.toFixed(1)} s, statuses ${JSON.stringify(result.statuses)}, ` +
    `${cpuMsPerRequest.toFixed(3)} ms CPU per request (this process: app + load)`,
);
console.log('self time by area');
for (const a of byArea(file).slice(0, 20))
  console.log(`  ${a.selfPercent.toFixed(1).padStart(5)}%  ${a.area}`);
console.log('hottest functions (self time)');
for (const h of hotSpots(file, 40))
  console.log(`  ${h.selfPercent.toFixed(1).padStart(5)}%  ${h.fn}  ${h.where}`);
console.log(`profile: ${file.slice(ROOT.length + 1)}`);

await app.close();
await fake?.stop();
await redis.stop();
rmSync(work, { recursive: true, force: true, maxRetries: 5 });
