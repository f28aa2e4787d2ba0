// Memory under sustained load: thousands of upstream calls must leave the heap where it was once collected. The
// benchmark found ~1.4 kB retained per call when the OpenAI provider handed the SDK an AbortSignal.timeout()/any()
// signal (Node 20 pins such signals while they have listeners), so RSS grew without bound at a few thousand req/s.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpenAIProvider } from '../../src/domain/providers/openai/openai-provider.ts';
import { DiagnoseRequest } from '../../src/domain/schemas/diagnose.ts';
import { SAMPLE_REQUEST } from '../support/app.ts';
import { FakeOpenAI } from '../support/fake-openai.ts';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const WARM_UP = 500;
const CALLS = 4000;
/** Well under what the leak retained for this many calls (~5.6 MB), well over the noise of a settled heap. */
const MAX_GROWTH_BYTES = 2 * 2 ** 20;

async function settledHeap(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  return process.memoryUsage().heapUsed;
}

describe('memory', () => {
  let fake: FakeOpenAI;
  beforeAll(async () => {
    fake = await new FakeOpenAI().start();
  });
  afterAll(async () => fake.stop());

  it('retains nothing per upstream call once the calls are done', async () => {
    const provider = new OpenAIProvider({
      apiKey: 'sk-test',
      baseURL: fake.baseURL,
      model: 'gpt-4o-mini',
      temperature: 0.2,
      maxTokens: 1500,
      // Long timeouts, as in production: a signal pinned until its timer fires would stay for the whole test.
      timeoutMs: 30_000,
      deadlineMs: 60_000,
      maxRetries: 0,
      retryBaseMs: 10,
    });
    const request = DiagnoseRequest.parse(SAMPLE_REQUEST);
    const run = async (count: number) => {
      for (let done = 0; done < count; done += 20) {
        // The caller's signal, as the route passes one (abortOnClientGone).
        await Promise.all(
          Array.from({ length: 20 }, () => provider.diagnose(request, new AbortController().signal)),
        );
        fake.requests.length = 0; // the fake keeps request bodies for other tests
      }
    };
    await run(WARM_UP);
    const before = await settledHeap();
    await run(CALLS);
    const after = await settledHeap();
    expect(
      after - before,
      `heap grew ${((after - before) / 2 ** 20).toFixed(2)} MB over ${CALLS} calls`,
    ).toBeLessThan(MAX_GROWTH_BYTES);
  }, 120_000);
});
