import { createRequire } from 'node:module';
import autocannon from 'autocannon';

const require = createRequire(import.meta.url);
// autocannon's own histogram codec: the raw result carries the latency histogram, from which any percentile
// (p95 is not in autocannon's summary) can be read.
const { decodeHist } = require('autocannon/lib/histUtil.js') as {
  decodeHist: (encoded: string) => {
    getValueAtPercentile(p: number): number;
    totalCount: number;
    destroy?: () => void;
  } | null;
};

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  /** Seconds; ignored when `amount` is set. */
  duration?: number;
  /** Total requests to send (the run ends when all are answered). */
  amount?: number;
  /** Requests per second across all connections (a fixed-rate run). */
  overallRate?: number;
  /** Per-request timeout, seconds. */
  timeout?: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  completed: number;
  ok: number;
  durationSeconds: number;
  latencyMs: { p50: number; p95: number; p99: number; max: number; mean: number };
  errors: { total: number; connection: number; timeouts: number; non2xx: number };
  statusCodes: Record<string, number>;
}

interface RawResult {
  latencies: string;
  totalCompletedRequests: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  duration: number;
  statusCodeStats: Record<string, { count: number }>;
}

/** One autocannon run, summarised. 'ok' counts 2xx answers; every other outcome is an error. */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const raw = (await autocannon({
    url: spec.url,
    method: spec.method ?? 'POST',
    headers: { 'content-type': 'application/json', ...spec.headers },
    ...(spec.body !== undefined ? { body: spec.body } : {}),
    connections: spec.connections,
    ...(spec.amount !== undefined ? { amount: spec.amount } : { duration: spec.duration ?? 10 }),
    ...(spec.overallRate !== undefined ? { overallRate: spec.overallRate } : {}),
    timeout: spec.timeout ?? 10,
    skipAggregateResult: true,
  } as autocannon.Options)) as unknown as RawResult;

  const histogram = decodeHist(raw.latencies);
  const at = (p: number) => (histogram && histogram.totalCount > 0 ? histogram.getValueAtPercentile(p) : 0);
  const latencyMs = {
    p50: at(50),
    p95: at(95),
    p99: at(99),
    max: at(100),
    mean: histogram && histogram.totalCount > 0 ? (histogram as unknown as { mean: number }).mean : 0,
  };
  histogram?.destroy?.();
  const statusCodes: Record<string, number> = {};
  for (const [code, stat] of Object.entries(raw.statusCodeStats ?? {})) statusCodes[code] = stat.count;
  const ok = raw['2xx'];
  return {
    // Goodput: only 2xx answers count towards throughput.
    requestsPerSecond: ok / raw.duration,
    completed: raw.totalCompletedRequests,
    ok,
    durationSeconds: raw.duration,
    latencyMs,
    errors: {
      // autocannon counts timeouts among its errors.
      total: raw.errors + raw.non2xx,
      connection: raw.errors - raw.timeouts,
      timeouts: raw.timeouts,
      non2xx: raw.non2xx,
    },
    statusCodes,
  };
}
