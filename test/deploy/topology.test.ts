/**
 * Issue 7: the production topology of docker-compose.prod.yml, run for real without containers.
 *
 *   client ──HTTPS──► nginx (nginx/nginx.conf via check-deploy.sh --render-nginx)
 *                       ├──► replica a: node dist/server.js (unprivileged) ──┐
 *                       └──► replica b: node dist/server.js (unprivileged) ──┴──► redis (redis/redis.conf, password)
 *   prometheus (monitoring/prometheus.yml, local targets) ──► a:metrics, b:metrics, redis exporter
 *
 * Everything listens on 127.0.0.1 only. The app is built as the Dockerfile builds it (tsc, then
 * `npm ci --omit=dev` next to dist/) once, in beforeAll.
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PrometheusServer,
  parseExposition,
  readProjectPrometheusConfig,
  renderLocalConfig,
  sampleValue,
} from '../support/prometheus-server.ts';
import {
  UNPRIVILEGED,
  buildRuntime,
  edgeRequest,
  rawHttpRequest,
  removeDir,
  runningAsRoot,
  startNginx,
  startRedis,
  startRedisExporter,
  startHeaderEcho,
  startReplica,
  writableDir,
  type AppReplica,
  type EdgeResponse,
  type LocalNginx,
  type Proc,
} from '../support/topology.ts';
import { redisCommands, type RedisServer } from '../support/redis-server.ts';

const RATE_LIMIT_MAX = 20;
/** One key per scenario, so each scenario has its own rate-limit window (RATE_LIMIT_MAX per minute per key). */
const KEYS = {
  spread: randomBytes(24).toString('base64url'),
  limit: randomBytes(24).toString('base64url'),
  ids: randomBytes(24).toString('base64url'),
  edge: randomBytes(24).toString('base64url'),
  failover: randomBytes(24).toString('base64url'),
  clients: randomBytes(24).toString('base64url'),
};
/** The app's default AUTH_FAILURE_LIMIT: 401s per client address and window before 429. */
const AUTH_FAILURE_LIMIT = 20;
/** Two clients on loopback, each with its own source address (the whole of 127.0.0.0/8 is local). */
const CLIENT_A = '127.0.0.2';
const CLIENT_B = '127.0.0.3';
const API_KEYS = Object.entries(KEYS)
  .map(([service, key]) => `${service}:${key}`)
  .join(',');

const DIAGNOSE_BODY = {
  patient: { age: 31, pregnancy_status: 'not_pregnant', menopausal_status: 'premenopausal' },
  symptoms: ['intense vulval itching', 'thick white cottage cheese discharge'],
  onset: 'gradual',
  severity: 'moderate',
  duration: '4 days',
};

const SETUP_TIMEOUT = 300_000; // includes the one-time build and `npm ci --omit=dev`
const STEP = 60_000;

const EDGE_HEADERS: Record<string, string> = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
};

describe('production topology without containers: nginx → 2 replicas → Redis, scraped by Prometheus', () => {
  let base: string | undefined;
  let runtimeDir: string | undefined;
  let redis: RedisServer | undefined;
  let exporter: { proc: Proc; address: string } | undefined;
  let a: AppReplica | undefined;
  let b: AppReplica | undefined;
  let nginx: LocalNginx | undefined;
  let prometheus: PrometheusServer | undefined;

  const replicas = (): [AppReplica, AppReplica] => [a as AppReplica, b as AppReplica];
  const edge = () => nginx as LocalNginx;

  function diagnose(key: string, requestId?: string, body: unknown = DIAGNOSE_BODY): Promise<EdgeResponse> {
    return edgeRequest(edge().httpsPort, 'POST', '/v1/diagnose', {
      headers: { 'x-api-key': key, ...(requestId ? { 'x-request-id': requestId } : {}) },
      body,
    });
  }

  /** Which replica wrote the audit record of each request id (polls: the audit file is written asynchronously). */
  async function servedBy(ids: string[]): Promise<Map<string, AppReplica[]>> {
    return vi.waitFor(
      () => {
        const byId = new Map<string, AppReplica[]>(ids.map((id) => [id, []]));
        for (const replica of replicas()) {
          for (const record of replica.audit()) {
            byId.get(String(record.request_id))?.push(replica);
          }
        }
        if (![...byId.values()].every((r) => r.length > 0))
          throw new Error(`no audit records yet for some of ${ids.length} request ids`);
        return byId;
      },
      { timeout: 15_000, interval: 100 },
    );
  }

  async function accessLogLine(requestId: string): Promise<Record<string, unknown>> {
    return vi.waitFor(
      () => {
        const line = edge()
          .accessLog()
          .find((l) => l.request_id === requestId);
        if (!line) throw new Error(`no nginx access log line for ${requestId}`);
        return line;
      },
      { timeout: 10_000, interval: 100 },
    );
  }

  async function diagnosesCount(replica: AppReplica): Promise<number> {
    return sampleValue(parseExposition(await replica.scrape()), 'tenderly_diagnoses_total') ?? 0;
  }

  function freshId(prefix: string): string {
    return `${prefix}-${randomBytes(6).toString('hex')}`;
  }

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'tenderly-topology-'));
    chmodSync(base, 0o755);
    runtimeDir = await buildRuntime();
    redis = await startRedis();
    exporter = await startRedisExporter(redis);

    const auditDir = writableDir(join(base, 'audit'));
    const env = {
      NODE_ENV: 'production',
      LOG_LEVEL: 'info',
      API_KEYS,
      REDIS_URL: `redis://:${redis.password}@127.0.0.1:${redis.port}/0`,
      // nginx's address (its connections to the replicas come from 127.0.0.1), as compose names nginx's
      // fixed address. The clients below use other loopback addresses, so they are never trusted.
      TRUST_PROXY: '127.0.0.1',
      RATE_LIMIT_MAX: String(RATE_LIMIT_MAX),
      DIAGNOSIS_PROVIDER: 'knowledge-base',
      AUDIT_HASH_SALT: randomBytes(16).toString('hex'),
      SHUTDOWN_GRACE_MS: '2000',
    };
    const started = await Promise.allSettled([
      startReplica('replica-a', runtimeDir, env, join(auditDir, 'audit-a.log')),
      startReplica('replica-b', runtimeDir, env, join(auditDir, 'audit-b.log')),
    ]);
    // Keep whichever started, so afterAll stops it even when the other did not.
    [a, b] = started.map((s) => (s.status === 'fulfilled' ? s.value : undefined));
    for (const s of started) if (s.status === 'rejected') throw s.reason;
    if (!a || !b) throw new Error('a replica did not start');

    nginx = await startNginx(join(base, 'nginx'), [a.address, b.address]);

    prometheus = await PrometheusServer.prepare();
    const project = await readProjectPrometheusConfig();
    await prometheus.writeConfig(
      renderLocalConfig(project, {
        interval: '1s',
        jobs: {
          'tenderly-app': [a.metricsAddress, b.metricsAddress],
          redis: [exporter.address],
          prometheus: [prometheus.address],
        },
      }),
    );
    const check = prometheus.checkConfig();
    if (!check.ok) throw new Error(`promtool rejected the rendered prometheus.yml:\n${check.output}`);
    await prometheus.start();
  }, SETUP_TIMEOUT);

  afterAll(async () => {
    const results = await Promise.allSettled([
      nginx?.proc.stop('SIGTERM'),
      a?.proc.stop('SIGTERM'),
      b?.proc.stop('SIGTERM'),
      prometheus?.stop(),
    ]);
    results.push(...(await Promise.allSettled([exporter?.proc.stop('SIGTERM')])));
    results.push(...(await Promise.allSettled([redis?.stop()])));
    results.push(...(await Promise.allSettled([removeDir(base), removeDir(runtimeDir)])));
    for (const r of results) if (r.status === 'rejected') console.error('topology cleanup:', r.reason);
  }, STEP);

  it('runs the replicas unprivileged and Redis with redis/redis.conf and a password', async () => {
    for (const replica of replicas()) {
      expect(replica.proc.running).toBe(true);
      if (runningAsRoot()) {
        const status = readFileSync(`/proc/${replica.proc.child.pid}/status`, 'utf8');
        expect(/^Uid:\s+(\d+)/m.exec(status)?.[1], `${replica.proc.name} uid`).toBe(String(UNPRIVILEGED.uid));
      }
    }
    const r = redis as RedisServer;
    expect((await redisCommands(r.port, [['PING']]))[0]).toMatch(/^-NOAUTH/);
    const [auth, flush, keys] = await redisCommands(r.port, [
      ['AUTH', r.password ?? ''],
      ['FLUSHALL'],
      ['KEYS', '*'],
    ]);
    expect(auth).toBe('+OK');
    expect(flush).toMatch(/unknown command/i);
    expect(keys).toMatch(/unknown command/i);
  });

  it(
    'answers diagnoses over HTTPS through nginx from both replicas',
    async () => {
      const [beforeA, beforeB] = await Promise.all(replicas().map(diagnosesCount));
      const ids = Array.from({ length: 10 }, (_, i) => freshId(`spread${i}`));
      for (const id of ids) {
        const res = await diagnose(KEYS.spread, id);
        expect(res.status, res.body).toBe(200);
        expect(res.json().engine.provider).toBe('knowledge-base');
      }
      const byId = await servedBy(ids);
      for (const [id, servers] of byId)
        expect(servers.length, `${id} audited by more than one replica`).toBe(1);
      const [ra, rb] = replicas();
      const countA = ids.filter((id) => byId.get(id)?.[0] === ra).length;
      const countB = ids.filter((id) => byId.get(id)?.[0] === rb).length;
      expect(countA, 'requests answered by replica a').toBeGreaterThan(0);
      expect(countB, 'requests answered by replica b').toBeGreaterThan(0);
      // The replicas' own counters agree with their audit logs.
      const [afterA, afterB] = await Promise.all(replicas().map(diagnosesCount));
      expect([Number(afterA) - Number(beforeA), Number(afterB) - Number(beforeB)]).toEqual([countA, countB]);
      // And nginx names the replica that answered each request.
      for (const id of ids) {
        const line = await accessLogLine(id);
        expect(line.upstream_addr).toBe(byId.get(id)?.[0]?.address);
        expect(line.status).toBe(200);
        expect(line.tls).toMatch(/^TLSv1\.[23]$/);
      }
    },
    STEP,
  );

  it(
    'applies one rate limit across both replicas (shared through Redis)',
    async () => {
      const ids: string[] = [];
      for (let i = 0; i < RATE_LIMIT_MAX; i++) {
        const id = freshId(`limit${i}`);
        ids.push(id);
        const res = await diagnose(KEYS.limit, id);
        expect(res.status, `request ${i + 1} of ${RATE_LIMIT_MAX}: ${res.body}`).toBe(200);
      }
      const byId = await servedBy(ids);
      const served = new Set([...byId.values()].map((s) => s[0]?.proc.name));
      expect(served, 'the allowed requests were spread over both replicas').toEqual(
        new Set(['replica-a', 'replica-b']),
      );

      const over = await diagnose(KEYS.limit, freshId('limit-over'));
      expect(over.status, over.body).toBe(429);
      // The app's limit (per principal), not nginx's per-IP limit_req.
      expect(over.json().error.code).toBe('rate_limited');
      expect(over.json().error.message).toContain(`the limit is ${RATE_LIMIT_MAX}`);
      expect(over.headers['x-ratelimit-limit']).toEqual([String(RATE_LIMIT_MAX)]);
      expect(over.headers['retry-after']?.length).toBe(1);
      // Another principal is not affected.
      expect((await diagnose(KEYS.edge)).status).toBe(200);
    },
    STEP,
  );

  it(
    'keeps each client’s anonymous per-IP limit to itself behind nginx',
    async () => {
      const health = (from: string) =>
        edgeRequest(edge().httpsPort, 'GET', '/health/live', { localAddress: from });
      for (let i = 0; i < RATE_LIMIT_MAX; i++) {
        const res = await health(CLIENT_A);
        expect(res.status, `request ${i + 1} from ${CLIENT_A}: ${res.body}`).toBe(200);
      }
      const over = await health(CLIENT_A);
      expect(over.status).toBe(429);
      expect(over.json().error.message).toContain(`the limit is ${RATE_LIMIT_MAX}`);
      // The other client has its own bucket, on both replicas (round robin: two requests reach both).
      for (let i = 0; i < 2; i++) {
        const res = await health(CLIENT_B);
        expect(res.status, res.body).toBe(200);
        expect(res.headers['x-ratelimit-remaining']).toEqual([String(RATE_LIMIT_MAX - 1 - i)]);
      }
    },
    STEP,
  );

  it(
    'throttles only the client that guesses keys, even when it forges X-Forwarded-For',
    async () => {
      // CLIENT_B guesses keys and names CLIENT_A in X-Forwarded-For to get it blocked instead.
      const guess = (i: number) =>
        edgeRequest(edge().httpsPort, 'POST', '/v1/diagnose', {
          localAddress: CLIENT_B,
          headers: { 'x-api-key': `wrong-key-${i}`, 'x-forwarded-for': CLIENT_A },
          body: DIAGNOSE_BODY,
        });
      for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) expect((await guess(i)).status).toBe(401);
      // The replica that saw the last failure refuses at once; the other one after its next failure.
      const after = [await guess(100), await guess(101), await guess(102)];
      expect(after.at(-1)?.status).toBe(429);
      expect(after.at(-1)?.json().error.message).toBe(
        'Too many failed authentication attempts from this address.',
      );

      // CLIENT_A, the one named in the forged header, is served by both replicas and still gets 401s.
      for (let i = 0; i < 2; i++) {
        const ok = await edgeRequest(edge().httpsPort, 'POST', '/v1/diagnose', {
          localAddress: CLIENT_A,
          headers: { 'x-api-key': KEYS.clients },
          body: DIAGNOSE_BODY,
        });
        expect(ok.status, ok.body).toBe(200);
        const wrong = await edgeRequest(edge().httpsPort, 'POST', '/v1/diagnose', {
          localAddress: CLIENT_A,
          headers: { 'x-api-key': 'wrong-key' },
          body: DIAGNOSE_BODY,
        });
        expect(wrong.status, wrong.body).toBe(401);
      }
    },
    STEP,
  );

  it('overwrites a client’s X-Forwarded-For at nginx with the address nginx sees', async () => {
    // The same nginx.conf in front of an upstream that echoes what it receives.
    const echo = await startHeaderEcho();
    let probe: LocalNginx | undefined;
    try {
      probe = await startNginx(join(base as string, 'nginx-echo'), [echo.address]);
      const forged = await edgeRequest(probe.httpsPort, 'GET', '/anything', {
        localAddress: CLIENT_A,
        headers: { 'x-forwarded-for': `${CLIENT_B}, 198.51.100.7`, 'x-real-ip': CLIENT_B },
      });
      expect(forged.status).toBe(200);
      expect(forged.json()).toMatchObject({ 'x-forwarded-for': CLIENT_A, 'x-real-ip': CLIENT_A });
      const plain = await edgeRequest(probe.httpsPort, 'GET', '/anything', { localAddress: CLIENT_B });
      expect(plain.json()).toMatchObject({ 'x-forwarded-for': CLIENT_B });
    } finally {
      await probe?.proc.stop('SIGTERM');
      await echo.close();
    }
  });

  it(
    'ignores X-Forwarded-For from a client that reaches a replica directly',
    async () => {
      const [replica] = replicas();
      const direct = (from: string, key: string, forwardedFor?: string) =>
        edgeRequest(replica.port, 'POST', '/v1/diagnose', {
          tls: false,
          localAddress: from,
          headers: { 'x-api-key': key, ...(forwardedFor ? { 'x-forwarded-for': forwardedFor } : {}) },
          body: DIAGNOSE_BODY,
        });
      const attacker = '127.0.0.4';
      const framed = '127.0.0.5';
      for (let i = 0; i < AUTH_FAILURE_LIMIT; i++) {
        expect((await direct(attacker, `wrong-key-${i}`, framed)).status).toBe(401);
      }
      // The failures counted against the address that connected, not the one in the header.
      const refused = await direct(attacker, KEYS.clients);
      expect(refused.status).toBe(429);
      expect(refused.json().error.message).toBe('Too many failed authentication attempts from this address.');
      expect((await direct(framed, KEYS.clients)).status).toBe(200);
    },
    STEP,
  );

  it('sends the edge security headers once each, on proxied answers and on edge errors', async () => {
    const answers = [
      await diagnose(KEYS.edge),
      await edgeRequest(edge().httpsPort, 'GET', '/metrics'),
      await edgeRequest(edge().httpsPort, 'GET', '/no/such/route'),
    ];
    for (const res of answers) {
      for (const [name, value] of Object.entries(EDGE_HEADERS)) {
        // Exactly one value: the app's own copy (helmet) is hidden, not doubled.
        expect(res.headers[name], `${name} on a ${res.status}`).toEqual([value]);
      }
      expect(res.headers['x-powered-by']).toBeUndefined();
      expect(res.headers['server']).toEqual(['nginx']); // server_tokens off: no version
      expect(res.headers['x-request-id']?.length).toBe(1);
    }
    expect(answers.map((r) => r.status)).toEqual([200, 404, 404]);
  });

  it('blocks /metrics and /docs at the edge with a JSON 404 that never reaches a replica', async () => {
    const paths = [
      '/metrics',
      '/metrics/',
      '/metrics?name=x',
      '/docs',
      '/docs/',
      '/docs/json',
      '/docs/static/index.html',
    ];
    for (const path of paths) {
      const id = freshId('blocked');
      const res = await edgeRequest(edge().httpsPort, 'GET', path, {
        headers: { 'x-api-key': KEYS.edge, 'x-request-id': id },
      });
      expect(res.status, path).toBe(404);
      expect(res.json()).toEqual({ error: { code: 'not_found', message: 'Not found' }, request_id: id });
      const line = await accessLogLine(id);
      expect(line.upstream_addr, `${path} was proxied`).toBe('');
    }
  });

  it('redirects HTTP to HTTPS on the host the client asked for', async () => {
    const { httpPort } = edge();
    const cases: Array<[string, string]> = [
      ['api.tenderly.test', 'https://api.tenderly.test/v1/diagnose?x=1'],
      ['api.tenderly.test:8080', 'https://api.tenderly.test/v1/diagnose?x=1'],
    ];
    for (const [host, location] of cases) {
      for (const method of ['GET', 'POST']) {
        const res = await edgeRequest(httpPort, method, '/v1/diagnose?x=1', {
          tls: false,
          headers: { host },
        });
        expect(res.status, `${method} Host: ${host}`).toBe(301);
        expect(res.headers['location']).toEqual([location]);
      }
    }
    // HTTP/1.0 without a Host header: $host falls back to server_name, never "_".
    const reply = await rawHttpRequest(httpPort, 'GET /health/live HTTP/1.0\r\n\r\n');
    expect(reply).toMatch(/^HTTP\/1\.1 301 /);
    expect(reply).toMatch(/^Location: https:\/\/localhost\/health\/live\r$/m);
    expect(reply).not.toContain('https://_');
  });

  it(
    'propagates request ids: the client’s when valid, else one nginx makes; logged by nginx and the app',
    async () => {
      // 1. A valid client id comes back and is in nginx's access log and the answering replica's logs.
      const sent = freshId('client-req');
      const ok = await diagnose(KEYS.ids, sent);
      expect(ok.status).toBe(200);
      expect(ok.headers['x-request-id']).toEqual([sent]);
      const line = await accessLogLine(sent);
      const replica = replicas().find((r) => r.address === line.upstream_addr);
      expect(replica, `upstream ${String(line.upstream_addr)}`).toBeDefined();
      await vi.waitFor(
        () =>
          expect(
            replica?.proc.jsonLines().some((l) => l.reqId === sent && l.msg === 'request completed'),
            `${sent} in the app's request log`,
          ).toBe(true),
        { timeout: 60_000, interval: 250 },
      );
      expect(replica?.audit().some((r) => r.request_id === sent)).toBe(true);

      // 2. No id: nginx makes one ($request_id), the app uses it (its error body carries it).
      const bad = await diagnose(KEYS.ids, undefined, {});
      expect(bad.status).toBe(400);
      const generated = bad.headers['x-request-id']?.[0] ?? '';
      expect(generated).toMatch(/^[0-9a-f]{32}$/);
      expect(bad.json().request_id).toBe(generated);
      const generatedLine = await accessLogLine(generated);
      expect(generatedLine.status).toBe(400);
      const answering = replicas().find((r) => r.address === generatedLine.upstream_addr);
      await vi.waitFor(
        () =>
          expect(
            answering?.proc.jsonLines().some((l) => l.reqId === generated),
            `${generated} in the app's request log`,
          ).toBe(true),
        { timeout: 60_000, interval: 250 },
      );

      // 3. An id outside [A-Za-z0-9._:-]{1,128} is replaced, not passed on.
      const replaced = await diagnose(KEYS.ids, 'bad id"with<chars>');
      expect(replaced.status).toBe(200);
      const replacement = replaced.headers['x-request-id']?.[0] ?? '';
      expect(replacement).toMatch(/^[0-9a-f]{32}$/);
      await accessLogLine(replacement);
      await servedBy([replacement]);
    },
    STEP,
  );

  it(
    'is scraped by Prometheus: both replicas and the redis exporter up',
    async () => {
      const p = prometheus as PrometheusServer;
      await p.waitForValue('count(up{job="tenderly-app"} == 1)', (v) => v === 2, STEP);
      const up = await p.query('up{job="tenderly-app"}');
      expect(up.map((s) => s.metric.instance).sort()).toEqual(
        replicas()
          .map((r) => r.metricsAddress)
          .sort(),
      );
      expect(up.map((s) => s.value[1])).toEqual(['1', '1']);
      await p.waitForValue('up{job="redis"}', (v) => v === 1, STEP);
      await p.waitForValue('redis_up', (v) => v === 1, STEP);
      // The traffic above reached both replicas, as Prometheus sees it too.
      await p.waitForValue(
        'count(sum by (instance) (tenderly_diagnoses_total{job="tenderly-app"}) > 0)',
        (v) => v === 2,
        STEP,
      );
    },
    STEP,
  );

  it(
    'keeps answering when a replica is killed (passive health checks, retry on connect errors)',
    async () => {
      const [survivor, victim] = replicas();
      victim.proc.child.kill('SIGKILL');
      await victim.proc.exited;
      expect(victim.proc.running).toBe(false);

      const ids = Array.from({ length: 6 }, (_, i) => freshId(`failover${i}`));
      const statuses: number[] = [];
      for (const id of ids) statuses.push((await diagnose(KEYS.failover, id)).status);
      expect(statuses).toEqual(ids.map(() => 200));

      const byId = await servedBy(ids);
      for (const servers of byId.values()) expect(servers).toEqual([survivor]);
      // nginx did try the dead replica (round robin) and moved on to the live one within the same request.
      const lines = await Promise.all(ids.map(accessLogLine));
      const retried = lines.filter((l) => String(l.upstream_addr).includes(victim.address));
      expect(retried.length, 'no request was first sent to the killed replica').toBeGreaterThan(0);
      for (const l of retried) {
        expect(l.upstream_addr).toBe(`${victim.address}, ${survivor.address}`);
        expect(l.status).toBe(200);
      }
    },
    STEP,
  );
});
