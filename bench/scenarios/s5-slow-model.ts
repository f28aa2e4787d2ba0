import { DIAGNOSE_BODY } from '../lib/fixtures.ts';
import {
  appEnv,
  authHeaders,
  checkDiagnose,
  log,
  measure,
  noteErrors,
  start,
  type Scenario,
  type ScenarioDefinition,
} from '../lib/harness.ts';
import { PLAN } from '../lib/options.ts';
import { printRound } from '../lib/report.ts';

export const S5_DELAY_MS = 1000;

// A slow upstream (1 s per answer) and many concurrent clients, run on its own after the others.
export const s5: ScenarioDefinition = {
  id: 's5',
  title: `slow upstream (${S5_DELAY_MS} ms), ${PLAN.s5Connections} concurrent connections`,
  path: '/v1/diagnose',
  headers: authHeaders,
  body: JSON.stringify(DIAGNOSE_BODY),
  check: checkDiagnose('openai'),
  async startServers({ redisUrl }) {
    const fake = await start('s5-fake', 'fake-openai.ts', { FAKE_DELAY_MS: String(S5_DELAY_MS) });
    const app = await start(
      's5-app',
      'app.ts',
      appEnv(redisUrl, 's5', {
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.url,
        OPENAI_TIMEOUT_MS: '30000',
        OPENAI_DEADLINE_MS: '60000',
      }),
      true,
    );
    return [fake, app];
  },
};

/** A warm-up, then every round: each connection sends a fixed number of requests. */
export async function runSlow(scenario: Scenario): Promise<void> {
  log(
    `s5: ${PLAN.s5Connections} connections × ${PLAN.s5PerConnection} requests each (ideal ${PLAN.s5Connections / (S5_DELAY_MS / 1000)} req/s)`,
  );
  await measure(scenario, { connections: PLAN.s5Connections, amount: PLAN.s5Connections });
  for (let round = 0; round < PLAN.rounds; round++) {
    const r = await measure(scenario, {
      connections: PLAN.s5Connections,
      amount: PLAN.s5Connections * PLAN.s5PerConnection,
    });
    scenario.rounds.push(r);
    printRound(scenario, 'slow', r);
    await noteErrors(scenario, r);
  }
}
