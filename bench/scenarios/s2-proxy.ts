import { DIAGNOSE_BODY } from '../lib/fixtures.ts';
import { start, type ScenarioDefinition } from '../lib/harness.ts';

export const checkProxied = (status: number, body: unknown) =>
  status === 200 && Array.isArray((body as { choices?: unknown }).choices) ? null : `status ${status}`;

export const s2: ScenarioDefinition = {
  id: 's2',
  title: 'bare Fastify route forwarding to the fake model (keep-alive)',
  path: '/proxy',
  headers: {},
  body: JSON.stringify(DIAGNOSE_BODY),
  check: checkProxied,
  neededBy: ['s4'],
  async startServers() {
    const fake = await start('s2-fake', 'fake-openai.ts');
    const proxy = await start('s2-proxy', 'proxy.ts', { UPSTREAM_URL: fake.url });
    return [fake, proxy];
  },
};
