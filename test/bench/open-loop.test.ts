import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { percentile, runOpenLoop } from '../../bench/lib/open-loop.ts';

let server: Server | null = null;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = null;
});

/** A local server; `handle` decides when and how each request (numbered from 0) is answered. */
async function serve(handle: (n: number, res: ServerResponse) => void): Promise<string> {
  let n = 0;
  server = createServer((req: IncomingMessage, res) => {
    req.resume();
    req.on('end', () => handle(n++, res));
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

// A timer starts from libuv's cached loop time, which is stale by however long the loop has been busy in this
// turn: on a loaded machine it fires a few ms early on the high-resolution clock (seen: 1.1 ms), so lower bounds allow 5 ms.
const TIMER_SLACK_MS = 5;

const answerAfter = (ms: number) => (_n: number, res: ServerResponse) =>
  setTimeout(() => res.end('{"ok":true}'), ms);

describe('open-loop load generator', () => {
  it('sends rate × duration requests and counts each answer, latency at least the server delay', async () => {
    const url = await serve(answerAfter(30));
    const result = await runOpenLoop({
      url,
      body: '{}',
      ratePerSecond: 200,
      durationS: 0.5,
      timeoutMs: 5000,
    });

    expect(result.offered).toBe(100);
    expect(result.answered).toBe(100);
    expect(result.errors).toEqual({});
    expect(result.samples.map((s) => s.scheduledMs)).toEqual(Array.from({ length: 100 }, (_, i) => i * 5));
    for (const s of result.samples) expect(s.latencyMs).toBeGreaterThanOrEqual(30 - TIMER_SLACK_MS);
    expect(result.latencyMs.p50).toBeGreaterThanOrEqual(30 - TIMER_SLACK_MS);
  });

  it('measures from the scheduled start: a server that stalls shows its queueing in every waiting request', async () => {
    // Nothing is answered until 300 ms after the first request arrived; then everything waiting is answered at once.
    const waiting: ServerResponse[] = [];
    let released = false;
    const url = await serve((n, res) => {
      if (released) return void res.end('{}');
      waiting.push(res);
      if (n === 0)
        setTimeout(() => {
          released = true;
          for (const r of waiting.splice(0)) r.end('{}');
        }, 300);
    });
    const result = await runOpenLoop({
      url,
      body: '{}',
      ratePerSecond: 100,
      durationS: 0.5,
      timeoutMs: 5000,
    });

    expect(result.answered).toBe(50);
    // A request due at s ms was answered no earlier than 300 ms after the run began: latency ≥ 300 − s, although
    // the server took only (300 − s) minus its transit time once the request reached it.
    for (const s of result.samples.filter((x) => x.scheduledMs < 250))
      expect(s.latencyMs).toBeGreaterThanOrEqual(300 - s.scheduledMs - TIMER_SLACK_MS);
    expect(result.latencyMs.max).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
  });

  it('counts a stalled generator against latency: requests due during the stall are sent late and measured from when they were due', async () => {
    const url = await serve(answerAfter(10));
    // Block this process's event loop for 200 ms shortly after the run starts.
    setTimeout(() => {
      const until = performance.now() + 200;
      while (performance.now() < until);
    }, 10);
    const result = await runOpenLoop({
      url,
      body: '{}',
      ratePerSecond: 100,
      durationS: 0.5,
      timeoutMs: 5000,
    });

    expect(result.offered).toBe(50);
    expect(result.answered).toBe(50);
    // Due at 100 ms, inside the stall (which ends no earlier than 210 ms after the run began).
    const due100 = result.samples.find((s) => s.scheduledMs === 100);
    expect(due100?.sendLagMs).toBeGreaterThanOrEqual(100);
    expect(due100?.latencyMs).toBeGreaterThanOrEqual((due100?.sendLagMs ?? 0) + 10 - TIMER_SLACK_MS);
    expect(result.maxSendLagMs).toBeGreaterThanOrEqual(100);
    expect(result.latencyMs.p99).toBeGreaterThanOrEqual(110);
  });

  it('counts error statuses, failed checks and timeouts as unanswered, by kind', async () => {
    const url = await serve((n, res) => {
      if (n % 4 === 1) return void res.writeHead(500).end('{}');
      if (n % 4 === 2) return void res.end('{"fallback":true}');
      if (n % 4 === 3) return; // never answered
      res.end('{"fallback":false}');
    });
    const result = await runOpenLoop({
      url,
      body: '{}',
      ratePerSecond: 100,
      durationS: 0.2,
      timeoutMs: 300,
      check: (body) => ((JSON.parse(body) as { fallback: boolean }).fallback ? 'fallback answer' : null),
    });

    expect(result.offered).toBe(20);
    expect(result.answered).toBe(5);
    expect(result.errors).toEqual({ 'status 500': 5, 'fallback answer': 5, timeout: 5 });
    for (const s of result.samples.filter((x) => x.problem === 'timeout'))
      expect(s.latencyMs).toBeGreaterThanOrEqual(300 - TIMER_SLACK_MS);
  });
});

describe('percentile', () => {
  it('is the nearest rank of sorted values', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 90)).toBe(90);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });
});
