import { DIAGNOSE_BODY } from '../lib/fixtures.ts';
import { appEnv, authHeaders, checkDiagnose, start, type ScenarioDefinition } from '../lib/harness.ts';

export const s3: ScenarioDefinition = {
  id: 's3',
  title: '/v1/diagnose, knowledge-base provider, full pipeline',
  path: '/v1/diagnose',
  headers: authHeaders,
  body: JSON.stringify(DIAGNOSE_BODY),
  check: checkDiagnose('knowledge-base'),
  neededBy: ['s1'],
  async startServers({ redisUrl }) {
    return [
      await start('s3-app', 'app.ts', appEnv(redisUrl, 's3', { DIAGNOSIS_PROVIDER: 'knowledge-base' }), true),
    ];
  },
};
