// The gateway scenario: a slow model (1.5 s per answer) and a fixed arrival rate (500 req/s in full mode), an open
// loop, so the service must hold rate × 1.5 s requests in flight (750). Its twin s5h is a bare node:http proxy to
// the same kind of fake under the same load: the ceiling for latency and memory.
import { DIAGNOSE_BODY } from '../lib/fixtures.ts';
import {
  appEnv,
  authHeaders,
  checkDiagnose,
  failures,
  log,
  start,
  type GatewayRound,
  type Scenario,
  type ScenarioDefinition,
} from '../lib/harness.ts';
import { RssSampler, processCpuSeconds } from '../lib/memory.ts';
import { runOpenLoop } from '../lib/open-loop.ts';
import { PLAN } from '../lib/options.ts';
import { printGatewayRound } from '../lib/report.ts';
import { checkProxied } from './s2-proxy.ts';

export const GATEWAY_DELAY_MS = 1500;
/** A request not answered within this long of its scheduled start is an error. */
const TIMEOUT_MS = 30_000;

export const s5: ScenarioDefinition = {
  id: 's5',
  title: `gateway: /v1/diagnose, fake model answering in ${GATEWAY_DELAY_MS} ms, ${PLAN.gatewayRate} req/s offered (open loop)`,
  path: '/v1/diagnose',
  headers: authHeaders,
  body: JSON.stringify(DIAGNOSE_BODY),
  check: checkDiagnose('openai'),
  async startServers({ redisUrl }) {
    const fake = await start('s5-fake', 'fake-openai.ts', { FAKE_DELAY_MS: String(GATEWAY_DELAY_MS) });
    const app = await start(
      's5-app',
      'app.ts',
      appEnv(redisUrl, 's5', {
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.url,
        OPENAI_TIMEOUT_MS: '30000',
        OPENAI_DEADLINE_MS: '60000',
        // The per-replica cap on model calls in flight (default 256) would send most of the 750 to the fallback.
        UPSTREAM_MAX_CONCURRENCY: String(
          Math.max(256, 2 * Math.ceil((PLAN.gatewayRate * GATEWAY_DELAY_MS) / 1000)),
        ),
      }),
      true,
    );
    return [fake, app];
  },
};

export const s5h: ScenarioDefinition = {
  id: 's5h',
  title: `gateway baseline: bare node:http keep-alive proxy, same fake model and load as s5`,
  path: '/proxy',
  headers: {},
  body: JSON.stringify(DIAGNOSE_BODY),
  check: checkProxied,
  neededBy: ['s5'],
  async startServers() {
    const fake = await start('s5h-fake', 'fake-openai.ts', { FAKE_DELAY_MS: String(GATEWAY_DELAY_MS) });
    const proxy = await start('s5h-proxy', 'proxy.ts', { UPSTREAM_URL: fake.url, PROXY_CLIENT: 'http' });
    return [fake, proxy];
  },
};

/** Each answer must be what the scenario returns when the model answered (a fallback is not an answer here). */
function answerCheck(scenario: Scenario): (body: string) => string | null {
  if (scenario.id === 's5h') return (body) => checkProxied(200, JSON.parse(body));
  return (body) => {
    const engine = (JSON.parse(body) as { engine?: { provider?: string; fallback?: boolean } }).engine;
    return engine?.provider === 'openai' && !engine.fallback
      ? null
      : `not a model answer (${JSON.stringify(engine)})`;
  };
}

async function gatewayRound(scenario: Scenario, durationS: number): Promise<GatewayRound> {
  const server = scenario.servers.at(-1);
  if (!server) throw new Error(`${scenario.id}: no server`);
  const rss = new RssSampler(server.pid).start();
  const cpuBefore = processCpuSeconds(server.pid);
  const result = await runOpenLoop({
    url: `${server.url}${scenario.path}`,
    headers: scenario.headers,
    body: scenario.body,
    ratePerSecond: PLAN.gatewayRate,
    durationS,
    timeoutMs: TIMEOUT_MS,
    check: answerCheck(scenario),
  });
  const peakRssBytes = rss.stop();
  const cpuAfter = processCpuSeconds(server.pid);
  if (server.child.exitCode !== null) throw new Error(`${scenario.id}: the server exited during the run`);
  const { samples: _samples, ...summary } = result;
  return {
    ...summary,
    peakRssBytes,
    cpuMsPerRequest:
      cpuBefore !== null && cpuAfter !== null && result.answered > 0
        ? ((cpuAfter - cpuBefore) * 1000) / result.answered
        : null,
  };
}

/** A warm-up of each, then the rounds, interleaved: app, proxy, app, proxy… under the same offered load. */
export async function runGateway(app: Scenario, proxy: Scenario): Promise<void> {
  log(
    `s5/s5h: ${PLAN.gatewayRate} req/s offered for ${PLAN.gatewayS} s per round (open loop), model ${GATEWAY_DELAY_MS} ms ` +
      `(${(PLAN.gatewayRate * GATEWAY_DELAY_MS) / 1000} in flight)`,
  );
  for (const scenario of [app, proxy]) await gatewayRound(scenario, PLAN.warmupS);
  for (let round = 0; round < PLAN.rounds; round++) {
    for (const scenario of [app, proxy]) {
      const r = await gatewayRound(scenario, PLAN.gatewayS);
      scenario.gateway.push(r);
      printGatewayRound(scenario, r);
      if (r.answered < r.offered)
        failures.push(
          `${scenario.id}: ${r.offered - r.answered} of ${r.offered} unanswered ${JSON.stringify(r.errors)}`,
        );
    }
  }
}
