// Scenario 2: the model-backed limit. A bare Fastify route that sends the fake model a request of the same size as
// the OpenAI provider's (system prompt, allowed codes, patient data, response schema) over keep-alive connections
// and returns the model's answer. No auth, no validation, no logging. The client is Node's global fetch (its
// keep-alive pool), which is what the OpenAI SDK uses; PROXY_CLIENT=http uses node:http with a keep-alive Agent
// instead (scenario s2h, informational), to show what fetch itself costs.
import http from 'node:http';
import Fastify from 'fastify';
import { SYSTEM_PROMPT, buildUserMessage } from '../../src/domain/providers/openai/prompt.ts';
import { buildResponseJsonSchema } from '../../src/domain/providers/openai/model-output.ts';
import type { DiagnoseRequest } from '../../src/domain/schemas/diagnose.ts';
import { announce } from '../lib/child.ts';

const upstream = `${process.env.UPSTREAM_URL as string}/chat/completions`;
const headers = { 'content-type': 'application/json', authorization: 'Bearer sk-bench' };
const schema = buildResponseJsonSchema();
const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60_000, maxSockets: Infinity });

function viaHttp(body: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = http.request(upstream, { method: 'POST', agent, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function viaFetch(body: string): Promise<unknown> {
  const res = await fetch(upstream, { method: 'POST', headers, body });
  return res.json();
}

const send = process.env.PROXY_CLIENT === 'http' ? viaHttp : viaFetch;
const app = Fastify({ logger: false });
app.post('/proxy', async (request) =>
  send(
    JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: SYSTEM_PROMPT },
        { role: 'user', content: buildUserMessage(request.body as DiagnoseRequest) },
      ],
      temperature: 0.2,
      max_completion_tokens: 1500,
      response_format: { type: 'json_schema', json_schema: { name: 'gyn_assessment', strict: true, schema } },
      store: false,
    }),
  ),
);

const url = await app.listen({ host: '127.0.0.1', port: 0 });
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
announce(url);
