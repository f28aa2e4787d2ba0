import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { estimateCostUsd, type ModelPrices } from '../../config/model-prices.ts';
import type { DiagnosisOutcome } from '../../domain/diagnosis/diagnose.ts';
import type { UpstreamTelemetry } from '../../domain/telemetry.ts';
import { SERVICE_VERSION } from '../version.ts';

/**
 * Every Prometheus metric the service exports, on registries of its own (never prom-client's global one).
 *
 * Labels are low-cardinality by construction: route patterns, status classes, configured model names,
 * enum values and API-key service names. Request ids, JWT subjects and request text never become labels.
 */

let processRegistry: Registry | null = null;

/**
 * prom-client's default metrics (process_*, nodejs_*) describe the process, not an app instance, and each
 * collectDefaultMetrics call starts its own event-loop monitor: one registry per process, shared by every
 * app built in it (tests build several).
 */
export function defaultMetricsRegistry(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

export type RejectionKind = 'rate_limited' | 'budget_exhausted';

export interface AppMetricsOptions {
  prices: ModelPrices;
  /** Register the Redis series (only when Redis is configured, so tenderly_redis_up == 0 always means trouble). */
  redis: boolean;
}

export function statusClass(statusCode: number): string {
  return `${Math.floor(statusCode / 100)}xx`;
}

export class AppMetrics {
  readonly registry = new Registry();
  /** What a scrape returns: the process-wide default metrics and this app's own. */
  readonly scrapeRegistry: Registry;

  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  readonly upstreamDuration: Histogram<'model' | 'outcome'>;
  readonly upstreamAttempts: Counter<'model' | 'outcome'>;
  readonly fallbacks: Counter<'reason'>;
  readonly tokens: Counter<'model' | 'kind'>;
  readonly cost: Counter<'model'>;
  readonly diagnoses: Counter<'triage_level' | 'provider' | 'fallback'>;
  readonly redFlags: Counter<'rule'>;
  readonly rateLimitRejections: Counter<'principal'>;
  readonly budgetExhaustions: Counter<'principal'>;
  readonly redisUp: Gauge | null;
  readonly redisCommandDuration: Histogram | null;
  readonly underPressure: Gauge;
  readonly ready: Gauge;
  readonly buildInfo: Gauge<'version' | 'node'>;
  readonly upstreamTelemetry: UpstreamTelemetry;
  readonly upstreamThrottled: Counter<'reason'>;
  readonly upstreamInFlight: Gauge;

  private readonly prices: ModelPrices;

  constructor(options: AppMetricsOptions) {
    this.prices = options.prices;
    const registers = [this.registry];

    this.httpDuration = new Histogram({
      name: 'tenderly_http_request_duration_seconds',
      help: 'HTTP request duration by method, route pattern ("unmatched" for 404s) and status class.',
      labelNames: ['method', 'route', 'status_class'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60],
      registers,
    });
    this.upstreamDuration = new Histogram({
      name: 'tenderly_upstream_request_duration_seconds',
      help: 'Duration of each model-provider HTTP attempt, by model and outcome.',
      labelNames: ['model', 'outcome'],
      buckets: [0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
      registers,
    });
    this.upstreamAttempts = new Counter({
      name: 'tenderly_upstream_attempts_total',
      help: 'Model-provider attempts by outcome (ok, timeout, rate_limited, upstream_error, invalid_output); repaired counts answers fixed by the repair call.',
      labelNames: ['model', 'outcome'],
      registers,
    });
    this.fallbacks = new Counter({
      name: 'tenderly_fallbacks_total',
      help: 'Diagnoses answered by the fallback provider, by why the primary failed.',
      labelNames: ['reason'],
      registers,
    });
    this.tokens = new Counter({
      name: 'tenderly_tokens_total',
      help: 'Model tokens used, by model and kind (prompt, completion).',
      labelNames: ['model', 'kind'],
      registers,
    });
    this.cost = new Counter({
      name: 'tenderly_cost_usd_total',
      help: 'Estimated model spend in USD (MODEL_PRICES list prices), by model.',
      labelNames: ['model'],
      registers,
    });
    this.upstreamThrottled = new Counter({
      name: 'tenderly_upstream_throttled_total',
      help: 'Model calls not sent because a ceiling was reached (requests_per_minute, tokens_per_minute, concurrency, upstream_paused).',
      labelNames: ['reason'],
      registers,
    });
    this.upstreamInFlight = new Gauge({
      name: 'tenderly_upstream_in_flight',
      help: 'Model calls in flight on this instance.',
      registers,
    });
    this.diagnoses = new Counter({
      name: 'tenderly_diagnoses_total',
      help: 'Diagnoses answered, by final triage level, answering provider and whether the fallback answered.',
      labelNames: ['triage_level', 'provider', 'fallback'],
      registers,
    });
    this.redFlags = new Counter({
      name: 'tenderly_red_flags_total',
      help: 'Red-flag rules fired, by rule id.',
      labelNames: ['rule'],
      registers,
    });
    this.rateLimitRejections = new Counter({
      name: 'tenderly_rate_limit_rejections_total',
      help: 'Requests rejected with 429 rate_limited, by principal (API-key service name, "jwt" or "anonymous").',
      labelNames: ['principal'],
      registers,
    });
    this.budgetExhaustions = new Counter({
      name: 'tenderly_budget_exhaustions_total',
      help: 'Requests rejected with 429 budget_exhausted (daily token budget), by principal.',
      labelNames: ['principal'],
      registers,
    });
    this.redisUp = options.redis
      ? new Gauge({
          name: 'tenderly_redis_up',
          help: 'Whether this instance can reach Redis (1) or not (0), checked at scrape time.',
          registers,
        })
      : null;
    this.redisCommandDuration = options.redis
      ? new Histogram({
          name: 'tenderly_redis_command_duration_seconds',
          help: 'Duration of the PING this instance sends to Redis at each scrape.',
          buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1],
          registers,
        })
      : null;
    this.underPressure = new Gauge({
      name: 'tenderly_under_pressure',
      help: 'Whether the under-pressure guard is shedding load (1) or not (0).',
      registers,
    });
    this.ready = new Gauge({
      name: 'tenderly_ready',
      help: 'Whether this instance is ready (1) or not (0), as /health/ready answers.',
      registers,
    });
    this.buildInfo = new Gauge({
      name: 'tenderly_build_info',
      help: 'Always 1; the labels carry the service version and the Node.js version.',
      labelNames: ['version', 'node'],
      registers,
    });
    this.buildInfo.set({ version: SERVICE_VERSION, node: process.versions.node }, 1);

    this.scrapeRegistry = Registry.merge([defaultMetricsRegistry(), this.registry]);

    this.upstreamTelemetry = {
      attempt: (model, outcome, seconds) => {
        this.upstreamAttempts.inc({ model, outcome });
        // "repaired" marks an answer fixed by a second call, not an HTTP attempt of its own: no duration.
        if (outcome !== 'repaired') this.upstreamDuration.observe({ model, outcome }, seconds);
      },
      tokens: (model, usage) => {
        if (usage.promptTokens > 0) this.tokens.inc({ model, kind: 'prompt' }, usage.promptTokens);
        if (usage.completionTokens > 0)
          this.tokens.inc({ model, kind: 'completion' }, usage.completionTokens);
        const cost = estimateCostUsd(this.prices, model, usage.promptTokens, usage.completionTokens);
        if (cost > 0) this.cost.inc({ model }, cost);
      },
      throttled: (reason) => this.upstreamThrottled.inc({ reason }),
      inFlight: (delta) => this.upstreamInFlight.inc(delta),
    };
  }

  observeHttp(method: string, route: string, statusCode: number, seconds: number): void {
    this.httpDuration.observe({ method, route, status_class: statusClass(statusCode) }, seconds);
  }

  recordDiagnosis(outcome: DiagnosisOutcome): void {
    const fallback = outcome.fallbackReason !== null;
    this.diagnoses.inc({
      triage_level: outcome.response.triage.level,
      provider: outcome.result.provider,
      fallback: String(fallback),
    });
    if (outcome.fallbackReason !== null) this.fallbacks.inc({ reason: outcome.fallbackReason });
    for (const rule of outcome.redFlags.fired) this.redFlags.inc({ rule: rule.id });
  }

  recordRejection(kind: RejectionKind, principal: string): void {
    (kind === 'budget_exhausted' ? this.budgetExhaustions : this.rateLimitRejections).inc({ principal });
  }

  /** The exposition text; callers refresh the scrape-time gauges first. */
  render(): Promise<string> {
    return this.scrapeRegistry.metrics();
  }

  get contentType(): string {
    return this.scrapeRegistry.contentType;
  }
}
