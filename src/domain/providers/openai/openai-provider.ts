import { getMaxListeners, setMaxListeners } from 'node:events';
import OpenAI from 'openai';
import pRetry, { AbortError } from 'p-retry';
import type { DiagnoseRequest } from '../../schemas/diagnose.ts';
import { boundAssessment } from '../../diagnosis/bound.ts';
import { sanitizeDifferential } from '../../diagnosis/sanitize.ts';
import { ProviderError, type DiagnosisProvider, type ProviderResult, type TokenUsage } from '../types.ts';
import {
  UNGOVERNED,
  UpstreamThrottled,
  type GovernorTelemetry,
  type UpstreamGovernor,
  type UpstreamPermit,
} from '../upstream-governor.ts';
import { createNodeHttpFetch } from '../../../infra/node-http-fetch.ts';
import { classifyUpstreamError, type UpstreamOutcome } from './errors.ts';
import { ModelAssessment, buildResponseJsonSchema } from './model-output.ts';
import { buildRepairMessage, patientData } from './prompt.ts';
import { ChatRequestEncoder, firstMessages } from './request-body.ts';

export interface OpenAIProviderOptions {
  apiKey: string | undefined;
  baseURL: string | undefined;
  model: string;
  temperature: number;
  maxTokens: number;
  /** Per attempt, covering a body that stalls after the headers. */
  timeoutMs: number;
  /** Across all attempts and backoff. */
  deadlineMs: number;
  maxRetries: number;
  retryBaseMs: number;
  telemetry?: UpstreamTelemetry;
  /**
   * The HTTP transport (default: `createNodeHttpFetch`). It must read the whole answer before resolving: the SDK's
   * per-call timeout, the only one per attempt, then covers a body that stalls after the headers too.
   */
  fetch?: typeof fetch;
  /** Shared ceilings on calls; every call is sent when absent. */
  governor?: UpstreamGovernor;
}

export interface UpstreamTelemetry extends GovernorTelemetry {
  attempt(model: string, outcome: UpstreamOutcome, seconds: number): void;
  tokens(model: string, usage: TokenUsage): void;
}

type ChatMessage = OpenAI.Chat.Completions.ChatCompletionMessageParam;
type ChatCompletion = OpenAI.Chat.Completions.ChatCompletion;

/** The SDK sends a byte body, or a string body with a content type, as it is (`ChatRequestEncoder` encodes it). */
const JSON_BODY = { 'content-type': 'application/json' } as const;

class InvalidOutput extends Error {}

export class OpenAIProvider implements DiagnosisProvider {
  readonly name = 'openai' as const;
  readonly model: string;
  private readonly client: OpenAI | null;
  private readonly options: OpenAIProviderOptions;
  private readonly encoder: ChatRequestEncoder;

  constructor(options: OpenAIProviderOptions) {
    this.options = options;
    this.model = options.model;
    // One client for the process; the SDK never retries: this class is the one owner of retries.
    this.client = options.apiKey
      ? new OpenAI({
          apiKey: options.apiKey,
          baseURL: options.baseURL,
          maxRetries: 0,
          timeout: options.timeoutMs,
          fetch: options.fetch ?? createNodeHttpFetch(),
        })
      : null;
    this.encoder = new ChatRequestEncoder({
      model: options.model,
      temperature: options.temperature,
      max_completion_tokens: options.maxTokens,
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'gyn_assessment', strict: true, schema: buildResponseJsonSchema() },
      },
      store: false,
    });
  }

  isUsable(): boolean {
    return this.client !== null;
  }

  async diagnose(request: DiagnoseRequest, signal?: AbortSignal): Promise<ProviderResult> {
    if (!this.client)
      throw new ProviderError('not_configured', 'The OpenAI provider has no API key configured.');
    // The SDK adds an abort listener per attempt to the caller's signal and leaves it there (the signal lives as
    // long as the request): up to two calls' attempts, without Node's "possible memory leak" warning.
    const listeners = 2 * (this.options.maxRetries + 1) + 10;
    if (signal && getMaxListeners(signal) < listeners) setMaxListeners(listeners, signal);
    const data = patientData(request);
    const deadline = Date.now() + this.options.deadlineMs;
    // The messages are built again for a repair rather than held through the call (~4 kB per call in flight).
    const first = await this.complete(this.encoder.first(data), firstMessages(data), deadline, signal);
    const usage = { ...first.usage };
    try {
      return this.result(parseAssessment(first.content), usage);
    } catch (error) {
      if (!(error instanceof InvalidOutput) || first.refused) {
        throw new ProviderError('invalid_output', 'The model did not return a usable answer.', {
          cause: error,
        });
      }
      // One repair attempt: show the model its own answer and what was wrong with it.
      const repairMessages: ChatMessage[] = [
        ...firstMessages(data),
        { role: 'assistant', content: first.content },
        { role: 'user', content: buildRepairMessage(error.message) },
      ];
      const second = await this.complete(
        this.encoder.encode(repairMessages),
        repairMessages,
        deadline,
        signal,
      );
      usage.promptTokens += second.usage.promptTokens;
      usage.completionTokens += second.usage.completionTokens;
      try {
        const result = this.result(parseAssessment(second.content), usage);
        this.options.telemetry?.attempt(this.model, 'repaired', 0);
        return result;
      } catch (repairError) {
        throw new ProviderError('invalid_output', 'The model did not return a usable answer.', {
          cause: repairError,
        });
      }
    }
  }

  private result(assessment: ModelAssessment, usage: TokenUsage): ProviderResult {
    const differential = sanitizeDifferential(
      assessment.differential.map((d) => ({ ...d, rationale: d.rationale ?? '' })),
    );
    return {
      provider: 'openai',
      model: this.model,
      usage,
      // Model output is untrusted: its text is made plain and capped before anything else reads it.
      assessment: boundAssessment({
        triageLevel: assessment.triage_level,
        triageRationale: assessment.triage_rationale,
        differential,
        investigations: assessment.recommended_investigations.map((i) => ({ ...i, reason: i.reason ?? '' })),
        advice: assessment.advice,
      }),
    };
  }

  /** A governor's permit for one attempt; a refusal ends the call without sending it. */
  private async permit(governor: UpstreamGovernor, estimate: number): Promise<UpstreamPermit> {
    try {
      return await governor.acquire(estimate);
    } catch (error) {
      if (!(error instanceof UpstreamThrottled)) throw error;
      throw new AbortError(
        new ProviderError(
          'upstream_throttled',
          'The model provider ceiling is reached; the call was not sent.',
          {
            retryAfterSeconds: error.retryAfterSeconds,
            cause: error,
          },
        ),
      );
    }
  }

  /**
   * One logical call: attempts with jittered backoff, each under its own timeout, all under the deadline.
   * `body` is the encoded request; `messages` are what it holds, for the token estimate.
   */
  private async complete(
    body: string | Uint8Array,
    messages: ChatMessage[],
    deadline: number,
    outer: AbortSignal | undefined,
  ): Promise<{ content: string; refused: boolean; usage: TokenUsage }> {
    const client = this.client as OpenAI;
    const { telemetry } = this.options;
    const governor = this.options.governor ?? UNGOVERNED;
    // Before the call only the prompt's size is known: about 4 characters a token, plus the completion cap.
    const estimate =
      Math.ceil(messages.reduce((n, m) => n + String(m.content ?? '').length, 0) / 4) +
      this.options.maxTokens;
    return pRetry(
      async () => {
        const remaining = deadline - Date.now();
        if (remaining <= 0)
          throw new AbortError(new ProviderError('timeout', 'The model did not answer in time.'));
        const permit = await this.permit(governor, estimate);
        const perAttempt = Math.min(this.options.timeoutMs, remaining);
        const started = performance.now();
        try {
          // The SDK's own timeout is the attempt's (one AbortController per attempt, the SDK's), and the caller's
          // signal goes to the SDK as is: no timeout or composite signal is created here. Node 20 pinned those while
          // they had listeners, which leaked ~1.4 kB per call (found by the benchmark, see BENCHMARKS.md).
          const { data: completion, response } = await client
            .post<ChatCompletion>('/chat/completions', {
              body,
              headers: JSON_BODY,
              timeout: perAttempt,
              maxRetries: 0,
              ...(outer ? { signal: outer } : {}),
            })
            .withResponse();
          const usage = {
            promptTokens: completion.usage?.prompt_tokens ?? 0,
            completionTokens: completion.usage?.completion_tokens ?? 0,
          };
          await permit.settle({
            tokens: usage.promptTokens + usage.completionTokens,
            headers: response.headers,
          });
          telemetry?.tokens(this.model, usage);
          const message = completion.choices[0]?.message;
          const refused = Boolean(message?.refusal);
          const outcome = refused || !message?.content ? 'invalid_output' : 'ok';
          telemetry?.attempt(this.model, outcome, (performance.now() - started) / 1000);
          return { content: message?.content ?? '', refused, usage };
        } catch (error) {
          const failure = classifyUpstreamError(error);
          const rateLimited = failure.outcome === 'rate_limited';
          await permit.settle({
            headers: error instanceof OpenAI.APIError ? error.headers : null,
            rateLimited,
          });
          telemetry?.attempt(this.model, failure.outcome, (performance.now() - started) / 1000);
          // A 429 pauses every replica for its retry-after; the retry waits as long, then asks the governor again.
          if (outer?.aborted || !failure.retryable) throw new AbortError(failure.error);
          throw failure.error;
        }
      },
      {
        retries: this.options.maxRetries,
        minTimeout: this.options.retryBaseMs,
        maxTimeout: this.options.retryBaseMs * 16,
        randomize: true,
        onFailedAttempt: async ({ error, retriesLeft }) => {
          // Honour the upstream's retry-after when it fits before the deadline; otherwise give up now.
          if (retriesLeft <= 0 || !(error instanceof ProviderError) || !error.retryAfterSeconds) return;
          const waitMs = error.retryAfterSeconds * 1000;
          if (Date.now() + waitMs >= deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, waitMs));
        },
        shouldRetry: () => Date.now() < deadline,
      },
    ).catch((error: unknown) => {
      throw error instanceof ProviderError
        ? error
        : new ProviderError('unavailable', 'The model provider failed.', { cause: error });
    });
  }
}

function parseAssessment(content: string): ModelAssessment {
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch {
    throw new InvalidOutput('The answer was not valid JSON.');
  }
  const parsed = ModelAssessment.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 10)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new InvalidOutput(problems.join('\n'));
  }
  const usable = parsed.data.differential.filter(
    (d) => sanitizeDifferential([{ ...d, rationale: '' }]).length > 0,
  );
  if (usable.length === 0) {
    throw new InvalidOutput('differential: no item used an allowed ICD-10-CM code.');
  }
  return parsed.data;
}
