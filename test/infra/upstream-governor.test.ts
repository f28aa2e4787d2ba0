import { Redis } from 'ioredis';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { UpstreamThrottled, type ThrottleReason } from '../../src/domain/providers/upstream-governor.ts';
import { RedisUpstreamGovernor, type UpstreamLimits } from '../../src/infra/upstream-governor.ts';
import { startRedisServer, type RedisServer } from '../support/redis-server.ts';

const LIMITS: UpstreamLimits = { rpm: null, tpm: 10_000, maxConcurrency: 8, queueMs: 50, callTokens: 500 };

/** The commands clients send while `run` runs (MONITOR; commands a Lua script runs are marked "lua"). */
async function sentCommands(server: RedisServer, run: () => Promise<void>): Promise<string[]> {
  const client = new Redis(server.url);
  const monitor = await client.monitor();
  const sent: string[] = [];
  monitor.on('monitor', (_time: string, args: string[], source: string) => {
    if (source !== 'lua') sent.push(String(args[0]).toLowerCase());
  });
  await run();
  await sleep(100); // MONITOR lines arrive after the replies
  monitor.disconnect();
  client.disconnect();
  return sent;
}

/** The minute's shared counts, as every replica sees them. */
async function minuteCounts(probe: Redis): Promise<{ r: number; t: number }> {
  const [key] = await probe.keys('tenderly:upstream:[0-9]*');
  const hash = key ? await probe.hgetall(key) : {};
  return { r: Number(hash.r ?? 0), t: Number(hash.t ?? 0) };
}

/** The governor's ceilings count per clock minute: start well inside one. */
async function awayFromMinuteBoundary(): Promise<void> {
  const intoMinute = Date.now() % 60_000;
  if (intoMinute > 50_000) await sleep(60_000 - intoMinute + 200);
}

describe('RedisUpstreamGovernor against a real Redis', () => {
  let server: RedisServer;
  let probe: Redis;
  const clients: Redis[] = [];
  const throttled: ThrottleReason[] = [];
  const telemetry = { throttled: (reason: ThrottleReason) => throttled.push(reason), inFlight: () => {} };

  const replica = async (limits: UpstreamLimits = LIMITS) => {
    const client = new Redis(server.url, { maxRetriesPerRequest: 1 });
    clients.push(client);
    await new Promise((resolve) => client.once('ready', resolve));
    return new RedisUpstreamGovernor(limits, client, telemetry);
  };

  beforeAll(async () => {
    server = await startRedisServer();
    probe = new Redis(server.url);
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    throttled.length = 0;
    await probe.flushall();
  });
  afterAll(async () => {
    probe.disconnect();
    await server.stop();
  });

  it('corrects the shared token count with the real usage, so the ceiling admits what was really used', async () => {
    await awayFromMinuteBoundary();
    const [a, b] = [await replica(), await replica()];
    // Estimates of 3,000 tokens against a 10,000 ceiling: three calls by estimate alone, more once corrected.
    let sent = 0;
    for (const governor of [a, b, a, b, a, b]) {
      try {
        const permit = await governor.acquire(3_000);
        sent++;
        await permit.settle({ tokens: 1_000, headers: new Headers() });
      } catch (error) {
        expect(error).toBeInstanceOf(UpstreamThrottled);
      }
    }
    // 0, 1k, 2k, 3k, 4k, 5k, 6k used before each: each fits with its 3k estimate up to 7k, so all six are sent.
    expect(sent).toBe(6);
    expect(await minuteCounts(probe)).toEqual({ r: 6, t: 6_000 });
    expect(throttled).toEqual([]);
    const refused = await a.acquire(4_500).catch((error: unknown) => error);
    expect(refused).toMatchObject({ reason: 'tokens_per_minute' });
  });

  it('settles a call in one round trip: the correction and the provider-requested pause together', async () => {
    const [a, b] = [await replica(), await replica()];
    const permit = await a.acquire(3_000);
    const sent = await sentCommands(server, () =>
      permit.settle({
        tokens: 1_200,
        headers: new Headers({ 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '5s' }),
      }),
    );
    // One script call runs both (EVAL the first time a connection uses the script, EVALSHA after).
    expect(sent).toHaveLength(1);
    expect(['eval', 'evalsha']).toContain(sent[0]);
    expect((await minuteCounts(probe)).t).toBe(1_200);
    const pauseMs = await probe.pttl('tenderly:upstream:pause');
    expect(pauseMs).toBeGreaterThan(4_000);
    // The other replica sees the pause at once and does not send.
    await expect(b.acquire(100)).rejects.toMatchObject({ reason: 'upstream_paused' });
  });

  it('gives the reservation back when no concurrency slot frees in time', async () => {
    await awayFromMinuteBoundary();
    const governor = await replica({ ...LIMITS, maxConcurrency: 1 });
    const held = await governor.acquire(2_000);
    await expect(governor.acquire(2_000)).rejects.toMatchObject({ reason: 'concurrency' });
    expect(await minuteCounts(probe)).toEqual({ r: 1, t: 2_000 });
    await held.settle({ tokens: 2_000, headers: null });
  });
});
