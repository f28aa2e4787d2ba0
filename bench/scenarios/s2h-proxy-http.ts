import { DIAGNOSE_BODY } from '../lib/fixtures.ts';
import { start, type ScenarioDefinition } from '../lib/harness.ts';
import { checkProxied } from './s2-proxy.ts';

// Informational: the same proxy over node:http with a keep-alive Agent, to show what fetch itself costs.
export const s2h: ScenarioDefinition = {
  id: 's2h',
  title: 'as s2, but node:http keep-alive Agent instead of fetch (informational)',
  path: '/proxy',
  headers: {},
  body: JSON.stringify(DIAGNOSE_BODY),
  check: checkProxied,
  async startServers() {
    const fake = await start('s2h-fake', 'fake-openai.ts');
    const proxy = await start('s2h-proxy', 'proxy.ts', { UPSTREAM_URL: fake.url, PROXY_CLIENT: 'http' });
    return [fake, proxy];
  },
};
