// Scenario 1: the framework's limit. A bare Fastify route that parses the JSON body and returns a JSON answer of the
// same size as a real /v1/diagnose answer; no auth, no validation, no logging.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { announce } from '../lib/child.ts';

const answer = JSON.parse(readFileSync(process.env.ANSWER_FILE as string, 'utf8')) as Record<string, unknown>;
const app = Fastify({ logger: false });
app.post('/bare', async () => ({ ...answer, id: crypto.randomUUID(), created_at: new Date().toISOString() }));
const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
announce(url);
