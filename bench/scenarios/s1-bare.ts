import { DIAGNOSE_BODY } from '../lib/fixtures.ts';
import { start, type ScenarioDefinition } from '../lib/harness.ts';

export const s1: ScenarioDefinition = {
  id: 's1',
  title: 'bare Fastify route, JSON answer the size of a diagnose answer',
  path: '/bare',
  headers: {},
  body: JSON.stringify(DIAGNOSE_BODY),
  check: (status) => (status === 200 ? null : `status ${status}`),
  async startServers({ answerFile }) {
    if (!answerFile) throw new Error('s1 needs a real /v1/diagnose answer (from s4 or s3) to size its body');
    return [await start('s1-bare', 'framework.ts', { ANSWER_FILE: answerFile })];
  },
};
