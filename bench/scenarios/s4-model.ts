import { DIAGNOSE_BODY } from '../lib/fixtures.ts';
import { appEnv, authHeaders, checkDiagnose, start, type ScenarioDefinition } from '../lib/harness.ts';

export const s4: ScenarioDefinition = {
  id: 's4',
  title: '/v1/diagnose, OpenAI provider (fake answering at once), full pipeline',
  path: '/v1/diagnose',
  headers: authHeaders,
  body: JSON.stringify(DIAGNOSE_BODY),
  check: checkDiagnose('openai'),
  // Its answer sets the size of s1's body.
  neededBy: ['s1'],
  async startServers({ redisUrl }) {
    const fake = await start('s4-fake', 'fake-openai.ts');
    const app = await start(
      's4-app',
      'app.ts',
      appEnv(redisUrl, 's4', {
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.url,
      }),
      true,
    );
    return [fake, app];
  },
};
