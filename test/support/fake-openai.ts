import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How the fake answers one chat completion call. */
export type FakeMode =
  | 'valid'
  | 'slow' // answers only after `slowMs`
  | 'stall' // sends headers, then never finishes the body
  | 'error500'
  | 'rate_limited' // 429 with retry-after
  | 'malformed' // message content is not JSON
  | 'invalid' // JSON, but schema-violating (unknown ICD-10 code, probability 7)
  | 'refusal'
  | 'obey_injection' // does what an injected instruction asked: self_care, no codes from the catalog
  | 'hostile'; // self-care advice, links, markup, phone numbers, 20,000 advice lines, huge strings, wrong names

export interface FakeOpenAIOptions {
  /** Modes for successive calls; the last one repeats. */
  modes?: FakeMode[];
  slowMs?: number;
  /** Delay before every answer, for benchmarks and drain tests. */
  delayMs?: number;
  retryAfterSeconds?: number;
  /** Custom assessment for 'valid'. */
  assessment?: Record<string, unknown>;
  /**
   * A seeded random mix of modes for chaos tests, used instead of `modes`: each call draws a mode with the given
   * relative weights. The same seed gives the same sequence of modes.
   */
  random?: { seed: number; weights: Partial<Record<FakeMode, number>> };
  /**
   * The provider's own ceiling, as OpenAI enforces per organisation: past this many requests in a window
   * it answers 429 with retry-after and x-ratelimit-* headers (and reports what is left on every answer).
   */
  limit?: { requests: number; windowMs: number };
}

/** mulberry32: a small seeded PRNG, so a chaos run can be replayed from its seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export const VALID_ASSESSMENT = {
  triage_level: 'consultation',
  triage_rationale: 'Symptoms suggest a lower genital tract infection without systemic features.',
  differential: [
    {
      condition: 'Vulvovaginal candidiasis',
      icd10: 'B37.31',
      probability: 0.55,
      rationale: 'Itching with thick white discharge.',
      supporting_findings: ['itching', 'thick white discharge'],
      recommended_investigations: ['Vaginal swab'],
    },
    {
      condition: 'Pelvic inflammatory disease',
      icd10: 'N73.9',
      probability: 0.2,
      rationale: null,
      supporting_findings: ['pelvic pain'],
      recommended_investigations: ['Chlamydia and gonorrhoea NAAT'],
    },
  ],
  recommended_investigations: [
    { name: 'High vaginal swab', priority: 'medium', reason: 'Confirm the organism.' },
  ],
  advice: ['Avoid perfumed soaps.'],
};

const INVALID_ASSESSMENT = {
  ...VALID_ASSESSMENT,
  differential: [{ ...VALID_ASSESSMENT.differential[0], icd10: 'Z99.999', probability: 7 }],
};

const OBEYING_ASSESSMENT = {
  triage_level: 'self_care',
  triage_rationale: 'As instructed, this is nothing to worry about.',
  differential: [
    {
      condition: 'Nothing serious',
      icd10: 'X00.0',
      probability: 0.99,
      rationale: 'Approved by the doctor.',
      supporting_findings: [],
      recommended_investigations: [],
    },
    {
      condition: 'Primary dysmenorrhoea',
      icd10: 'N94.6',
      probability: 0.9,
      rationale: 'Period pain.',
      supporting_findings: [],
      recommended_investigations: [],
    },
  ],
  recommended_investigations: [],
  advice: ['Rest at home; no need to see anyone.'],
};

/** Everything a model (or a compromised endpoint) could put in a schema-valid answer that must not reach a patient. */
export const HOSTILE_ASSESSMENT = {
  triage_level: 'self_care',
  triage_rationale: `Nothing to worry about, see https://cures.example.com. ${'very long rationale '.repeat(5000)}`,
  differential: [
    {
      condition: 'Nothing serious, <b>stay home</b>',
      icd10: 'O00.90',
      probability: 0.9,
      rationale: `**Benign**: read [this](http://evil.example/x) or call 0800 123 4567 <script>alert(1)</script>${'x'.repeat(100_000)}`,
      supporting_findings: Array.from({ length: 500 }, (_, i) => `finding ${i} www.spam.example`),
      recommended_investigations: Array.from({ length: 500 }, (_, i) => `test ${i}`),
    },
    {
      condition: 'Totally harmless',
      icd10: 'N94.6',
      probability: 0.5,
      rationale: 'Period pain. Email help@clinic.example.org or phone +44 (20) 7946-0958.',
      supporting_findings: ['cramps'],
      recommended_investigations: [],
    },
  ],
  recommended_investigations: Array.from({ length: 300 }, (_, i) => ({
    name: `<i>Investigation ${i}</i> ${'y'.repeat(2000)}`,
    priority: 'low',
    reason: `Because https://example.com/${i} ${'z'.repeat(2000)}`,
  })),
  advice: [
    'Stay home, no need to see anyone.',
    'Try home remedies and wait and see.',
    '## Call **0800 123 4567** or visit www.miracle-cure.example',
    'Drink plenty of water.',
    ...Array.from({ length: 20_000 }, (_, i) => `Advice line ${i}: rest at home.`),
  ],
};

function completion(content: string | null, refusal: string | null = null) {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model: 'gpt-4o-mini',
    choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content, refusal } }],
    usage: { prompt_tokens: 900, completion_tokens: 300, total_tokens: 1200 },
  };
}

export class FakeOpenAI {
  /** Every call received, with the mode it was answered in. */
  /** Requests refused by `limit` (answered 429), and those it let through. */
  limited = 0;
  admitted = 0;
  private window = { start: 0, count: 0 };
  readonly requests: Array<{
    body: Record<string, unknown>;
    headers: IncomingMessage['headers'];
    mode: FakeMode;
  }> = [];
  private server: Server | null = null;
  private readonly openSockets = new Set<ServerResponse>();
  private random: (() => number) | null = null;
  options: FakeOpenAIOptions;

  constructor(options: FakeOpenAIOptions = {}) {
    this.options = options;
    if (options.random) this.random = seededRandom(options.random.seed);
  }

  get calls(): number {
    return this.requests.length;
  }

  get baseURL(): string {
    const { port } = this.server?.address() as AddressInfo;
    return `http://127.0.0.1:${port}/v1`;
  }

  setModes(modes: FakeMode[]): void {
    this.options.modes = modes;
    this.options.random = undefined;
    this.random = null;
    this.requests.length = 0;
  }

  /** Switches to a seeded random mix of modes (see `FakeOpenAIOptions.random`) and forgets earlier calls. */
  setRandom(seed: number, weights: Partial<Record<FakeMode, number>>): void {
    this.options.random = { seed, weights };
    this.random = seededRandom(seed);
    this.requests.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async stop(): Promise<void> {
    for (const res of this.openSockets) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  /** Counts the call against `limit`: its headers, with retry-after when the call is over the limit. */
  private enforceLimit(): Record<string, string> | undefined {
    const limit = this.options.limit;
    if (!limit) return undefined;
    const now = Date.now();
    if (now - this.window.start >= limit.windowMs) this.window = { start: now, count: 0 };
    const resetMs = this.window.start + limit.windowMs - now;
    const headers: Record<string, string> = { 'x-ratelimit-reset-requests': `${resetMs}ms` };
    if (this.window.count >= limit.requests) {
      this.limited += 1;
      return {
        ...headers,
        'x-ratelimit-remaining-requests': '0',
        'retry-after': String(Math.ceil(resetMs / 1000)),
      };
    }
    this.window.count += 1;
    this.admitted += 1;
    return { ...headers, 'x-ratelimit-remaining-requests': String(limit.requests - this.window.count) };
  }

  private modeFor(call: number): FakeMode {
    if (this.random && this.options.random) {
      const entries = Object.entries(this.options.random.weights) as Array<[FakeMode, number]>;
      const total = entries.reduce((sum, [, w]) => sum + w, 0);
      let draw = this.random() * total;
      for (const [mode, weight] of entries) {
        draw -= weight;
        if (draw < 0) return mode;
      }
      return entries.at(-1)?.[0] ?? 'valid';
    }
    const modes = this.options.modes ?? ['valid'];
    return modes[Math.min(call, modes.length - 1)] ?? 'valid';
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    const mode = this.modeFor(this.requests.length);
    this.requests.push({
      body: JSON.parse(Buffer.concat(chunks).toString('utf8')),
      headers: req.headers,
      mode,
    });
    if (this.options.delayMs) await sleep(this.options.delayMs);
    const limitHeaders = this.enforceLimit();
    const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      res
        .writeHead(status, { 'content-type': 'application/json', ...limitHeaders, ...headers })
        .end(JSON.stringify(body));
    };
    if (limitHeaders?.['retry-after']) {
      return json(429, { error: { message: 'Rate limit reached for requests', type: 'requests' } });
    }
    switch (mode) {
      case 'valid':
        return json(200, completion(JSON.stringify(this.options.assessment ?? VALID_ASSESSMENT)));
      case 'slow':
        await sleep(this.options.slowMs ?? 5000);
        if (!res.destroyed) json(200, completion(JSON.stringify(VALID_ASSESSMENT)));
        return;
      case 'stall':
        this.openSockets.add(res);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"id":"chatcmpl-stall","choices":[');
        return; // never ends
      case 'error500':
        return json(500, {
          error: { message: 'internal failure with secret upstream detail', type: 'server_error' },
        });
      case 'rate_limited':
        return json(
          429,
          { error: { message: 'Rate limit reached', type: 'rate_limit_error' } },
          { 'retry-after': String(this.options.retryAfterSeconds ?? 0) },
        );
      case 'malformed':
        return json(200, completion('{"triage_level": "consultation", "differential": [ this is not json'));
      case 'invalid':
        return json(200, completion(JSON.stringify(INVALID_ASSESSMENT)));
      case 'refusal':
        return json(200, completion(null, "I'm sorry, I can't help with that."));
      case 'obey_injection':
        return json(200, completion(JSON.stringify(OBEYING_ASSESSMENT)));
      case 'hostile':
        return json(200, completion(JSON.stringify(HOSTILE_ASSESSMENT)));
    }
  }
}
