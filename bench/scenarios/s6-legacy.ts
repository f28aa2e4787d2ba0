import { LEGACY_BODY } from '../lib/fixtures.ts';
import { appEnv, legacyHeaders, start, type ScenarioDefinition } from '../lib/harness.ts';

export const s6: ScenarioDefinition = {
  id: 's6',
  title: 'legacy call A, POST /api/v1/diagnosis/ (wrapped body), OpenAI provider, full pipeline',
  path: '/api/v1/diagnosis/',
  headers: legacyHeaders,
  body: JSON.stringify(LEGACY_BODY),
  check: (status, body) => {
    if (status !== 200) return `status ${status}: ${JSON.stringify(body).slice(0, 300)}`;
    const b = body as { diagnosis?: unknown; confidence_score?: unknown };
    return typeof b.diagnosis === 'string' && b.diagnosis && typeof b.confidence_score === 'number'
      ? null
      : 'not a call A answer';
  },
  async startServers({ redisUrl }) {
    const fake = await start('s6-fake', 'fake-openai.ts');
    const app = await start(
      's6-app',
      'app.ts',
      appEnv(redisUrl, 's6', {
        DIAGNOSIS_PROVIDER: 'openai',
        OPENAI_API_KEY: 'sk-bench',
        OPENAI_BASE_URL: fake.url,
      }),
      true,
    );
    return [fake, app];
  },
};
