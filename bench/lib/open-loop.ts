// An open-loop load generator: request i starts at t0 + i / rate whatever happened to the earlier ones, and its
// latency is measured from that scheduled start, so a server that falls behind (or a generator that stalls)
// shows up as latency instead of as fewer requests sent — what a closed loop such as autocannon's -R hides.
import http from 'node:http';
import { performance } from 'node:perf_hooks';

export interface OpenLoopSpec {
  url: string;
  headers?: Record<string, string>;
  body: string;
  /** Requests started per second, on a fixed schedule. */
  ratePerSecond: number;
  durationS: number;
  /** A request not answered within this long (from its scheduled start) counts as an error. */
  timeoutMs: number;
  /** Returns a problem with a 2xx answer (e.g. a fallback answer where a model answer was due), or null. */
  check?: (body: string) => string | null;
}

export interface OpenLoopSample {
  /** When the request was due, ms after the run's start. */
  scheduledMs: number;
  /** How late the generator sent it. */
  sendLagMs: number;
  /** From the scheduled start to the last byte of the answer (or to the error). */
  latencyMs: number;
  /** The HTTP status, 0 without one; `problem` is set for every request that does not count as answered. */
  status: number;
  problem?: string;
}

export interface OpenLoopResult {
  offered: number;
  answered: number;
  errors: Record<string, number>;
  /** Percentiles of the answered requests' latency from scheduled start. */
  latencyMs: { p50: number; p90: number; p99: number; max: number };
  /** The largest delay between a request's schedule and its sending: the generator's own lateness. */
  maxSendLagMs: number;
  samples: OpenLoopSample[];
}

/** Nearest-rank percentile of sorted values (NaN when empty). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
}

export async function runOpenLoop(spec: OpenLoopSpec): Promise<OpenLoopResult> {
  const url = new URL(spec.url);
  const offered = Math.round(spec.ratePerSecond * spec.durationS);
  // Enough sockets that no request waits for one: every request in flight has its own connection.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(spec.body)),
    ...spec.headers,
  };
  const samples: OpenLoopSample[] = [];
  const t0 = performance.now();

  const send = (scheduledMs: number) =>
    new Promise<void>((resolve) => {
      const sendLagMs = performance.now() - t0 - scheduledMs;
      let finished = false;
      const done = (status: number, problem?: string) => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        const latencyMs = performance.now() - t0 - scheduledMs;
        samples.push({ scheduledMs, sendLagMs, latencyMs, status, ...(problem ? { problem } : {}) });
        resolve();
      };
      const req = http.request(url, { method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => done(res.statusCode ?? 0, `response: ${error.message}`));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) return done(status, `status ${status}`);
          let problem: string | null = null;
          try {
            problem = spec.check?.(Buffer.concat(chunks).toString('utf8')) ?? null;
          } catch (error) {
            problem = `check threw: ${(error as Error).message.slice(0, 100)}`;
          }
          done(status, problem ?? undefined);
        });
      });
      // The deadline counts from the scheduled start, as the latency does.
      const timer = setTimeout(
        () => {
          done(0, 'timeout');
          req.destroy();
        },
        Math.max(0, spec.timeoutMs - sendLagMs),
      );
      req.on('error', (error: NodeJS.ErrnoException) => done(0, error.code ?? error.message));
      req.end(spec.body);
    });

  const inFlight: Array<Promise<void>> = [];
  for (let i = 0; i < offered;) {
    const now = performance.now() - t0;
    // Start every request that is due, late ones included: the schedule never slips.
    for (; i < offered && (i * 1000) / spec.ratePerSecond <= now; i++)
      inFlight.push(send((i * 1000) / spec.ratePerSecond));
    if (i < offered) {
      const wait = (i * 1000) / spec.ratePerSecond - (performance.now() - t0);
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, wait)));
    }
  }
  await Promise.all(inFlight);
  agent.destroy();

  const errors: Record<string, number> = {};
  const answered: number[] = [];
  let maxSendLagMs = 0;
  for (const s of samples) {
    maxSendLagMs = Math.max(maxSendLagMs, s.sendLagMs);
    if (s.problem) errors[s.problem] = (errors[s.problem] ?? 0) + 1;
    else answered.push(s.latencyMs);
  }
  answered.sort((a, b) => a - b);
  return {
    offered,
    answered: answered.length,
    errors,
    latencyMs: {
      p50: percentile(answered, 50),
      p90: percentile(answered, 90),
      p99: percentile(answered, 99),
      max: answered.at(-1) ?? NaN,
    },
    maxSendLagMs,
    samples: samples.sort((a, b) => a.scheduledMs - b.scheduledMs),
  };
}
