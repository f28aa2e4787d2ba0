// The fake OpenAI-compatible server in its own process, so it never competes with the load generator's event loop.
import { FakeOpenAI } from '../../test/support/fake-openai.ts';
import { announce } from '../lib/child.ts';

const delayMs = Number(process.env.FAKE_DELAY_MS ?? '0');
const fake = await new FakeOpenAI({ delayMs, modes: ['valid'] }).start();
// The fake keeps every request body for tests; a benchmark sends hundreds of thousands, so drop them.
const requests = fake.requests;
setInterval(() => (requests.length = 0), 1000).unref();
process.on('SIGTERM', () => void fake.stop().then(() => process.exit(0)));
announce(fake.baseURL);
