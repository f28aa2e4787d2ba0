/**
 * The production topology of docker-compose.prod.yml, run for real on 127.0.0.1 without containers:
 * the app built as the Dockerfile builds it (tsc → dist/, `npm ci --omit=dev`), two replicas of
 * `node dist/server.js` as an unprivileged user, Redis with redis/redis.conf and a password, nginx with
 * nginx/nginx.conf rendered by `scripts/check-deploy.sh --render-nginx`, the redis exporter and
 * Prometheus with monitoring/prometheus.yml rendered for local targets (test/support/prometheus-server.ts).
 *
 * Every process is a child of the test process, stopped by `stop()` (SIGTERM, then SIGKILL after a
 * deadline) and, as a last resort, killed when the test process exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createConnection, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { vi } from 'vitest';
import { freePort } from './ports.ts';
import { REPO_ROOT, requireBinary } from './prometheus-server.ts';
import { startRedisServer, type RedisServer } from './redis-server.ts';

// ---------------------------------------------------------------------------------------------
// Child processes

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export class Proc {
  readonly name: string;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  private out = '';

  constructor(
    name: string,
    command: string,
    args: string[],
    options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
  ) {
    this.name = name;
    this.child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(this.child);
    const keep = (chunk: Buffer) => {
      // Bounded, but generous: the app's JSON log lines are searched for request ids.
      this.out = (this.out + chunk.toString('utf8')).slice(-2_000_000);
    };
    this.child.stdout?.on('data', keep);
    this.child.stderr?.on('data', keep);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', () => {
        live.delete(this.child);
        resolve();
      });
      this.child.once('error', (error) => {
        this.out += `\nspawn error: ${error.message}`;
        live.delete(this.child);
        resolve();
      });
    });
  }

  get output(): string {
    return this.out;
  }

  get running(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null && live.has(this.child);
  }

  /** The JSON objects among the output lines (the app logs with pino: one object per line). */
  jsonLines(): Array<Record<string, unknown>> {
    const records: Array<Record<string, unknown>> = [];
    for (const line of this.out.split('\n')) {
      if (!line.startsWith('{')) continue;
      try {
        records.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // a line cut by the output bound, or not JSON
      }
    }
    return records;
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.child.kill(signal);
    const gone = await Promise.race([this.exited.then(() => true), sleep(graceMs).then(() => false)]);
    if (!gone) {
      this.child.kill('SIGKILL');
      await this.exited;
    }
  }

  /** Waits for `pattern` in the output; fails early when the process exits. */
  async waitForOutput(pattern: RegExp, timeoutMs = 30_000): Promise<RegExpExecArray> {
    return vi
      .waitFor(
        () => {
          const match = pattern.exec(this.out);
          if (match) return match;
          if (!this.running)
            throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode})`);
          throw new Error(`${this.name} did not print ${pattern.source} within ${timeoutMs} ms`);
        },
        { timeout: timeoutMs, interval: 50 },
      )
      .catch((error: unknown) => {
        throw new Error(`${(error as Error).message}\n--- ${this.name} output ---\n${this.out.slice(-5000)}`);
      });
  }
}

/** Awaits a start-up step; when it fails, the process is stopped before the error propagates. */
async function orStop<T>(proc: Proc, step: Promise<T>): Promise<T> {
  try {
    return await step;
  } catch (error) {
    await proc.stop('SIGKILL', 5000);
    throw error;
  }
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(' ')} failed (${result.status ?? result.signal ?? result.error?.message}):\n` +
        `${result.stdout ?? ''}${result.stderr ?? ''}`.slice(-5000),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The app as the Dockerfile builds it

/** uid/gid the replicas run as when the tests run as root (the image runs as 10001; any non-root id will do). */
export const UNPRIVILEGED = { user: 'nobody', group: 'nogroup', uid: 65534, gid: 65534 };

export function runningAsRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * `npm run build` (tsc -p tsconfig.build.json) with its output in DIR/dist, then package.json +
 * package-lock.json next to it and `npm ci --omit=dev`, as the runtime stage of the Dockerfile does.
 * The repository's own dist/ is left alone. DIR is readable (not writable) by everyone.
 */
export async function buildRuntime(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tenderly-topology-app-'));
  try {
    await buildInto(dir);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

async function buildInto(dir: string): Promise<void> {
  chmodSync(dir, 0o755);
  // npm variables of an enclosing `npm test` (npm_config_*) must not leak into the nested npm calls.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  run('npm', ['run', '--silent', 'build', '--', '--outDir', join(dir, 'dist')], REPO_ROOT, env);
  if (!existsSync(join(dir, 'dist', 'server.js')))
    throw new Error(`the build did not write ${dir}/dist/server.js`);
  await copyFile(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  await copyFile(join(REPO_ROOT, 'package-lock.json'), join(dir, 'package-lock.json'));
  run(
    'npm',
    [
      'ci',
      '--omit=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
    ],
    dir,
    { ...env, NPM_CONFIG_UPDATE_NOTIFIER: 'false' },
  );
  // The runtime user only reads the tree (umask may have been strict).
  run('chmod', ['-R', 'a+rX', dir], dir);
}

/** A directory the unprivileged user may write to (the image's tmpfs /tmp), e.g. for AUDIT_LOG_PATH. */
export function writableDir(path: string): string {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (runningAsRoot()) chownSync(path, UNPRIVILEGED.uid, UNPRIVILEGED.gid);
  return path;
}

export interface AppReplica {
  proc: Proc;
  port: number;
  metricsPort: number;
  /** host:port of the API listener, as nginx's $upstream_addr names it. */
  address: string;
  /** host:port of the metrics listener, as Prometheus labels it (instance). */
  metricsAddress: string;
  auditPath: string;
  /** The audit records written so far (one JSON object per diagnosis request). */
  audit(): Array<Record<string, unknown>>;
  /** The replica's own /metrics, straight from its internal port. */
  scrape(): Promise<string>;
}

/** `node dist/server.js` from the built runtime, as an unprivileged user when running as root. */
export async function startReplica(
  name: string,
  runtimeDir: string,
  env: Record<string, string>,
  auditPath: string,
): Promise<AppReplica> {
  const port = await freePort();
  const metricsPort = await freePort();
  const node = process.execPath;
  let command = node;
  let args = ['dist/server.js'];
  if (runningAsRoot()) {
    const setpriv = spawnSync('sh', ['-c', 'command -v setpriv'], { encoding: 'utf8' }).stdout.trim();
    if (setpriv) {
      // setpriv execs node itself: the child's pid is node's, so signals reach the server directly.
      command = setpriv;
      args = [
        `--reuid=${UNPRIVILEGED.user}`,
        `--regid=${UNPRIVILEGED.group}`,
        '--clear-groups',
        node,
        ...args,
      ];
    } else {
      command = requireBinary('runuser', 'util-linux');
      args = ['-u', UNPRIVILEGED.user, '--', node, ...args];
    }
  }
  const proc = new Proc(name, command, args, {
    cwd: runtimeDir,
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: '/tmp',
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      METRICS_PORT: String(metricsPort),
      AUDIT_LOG_PATH: auditPath,
    },
  });
  await orStop(proc, proc.waitForOutput(/Server listening at http:\/\/127\.0\.0\.1:\d+/));
  const metricsAddress = `127.0.0.1:${metricsPort}`;
  const scrape = async () => {
    const res = await fetch(`http://${metricsAddress}/metrics`);
    if (!res.ok) throw new Error(`${name} /metrics answered ${res.status}`);
    return res.text();
  };
  // Ready (Redis reachable) as /health/ready would say, read from the metrics port: the API's health
  // routes count against the per-IP rate limit.
  const ready = vi
    .waitFor(
      async () => {
        const text = await scrape();
        if (!/^tenderly_ready 1$/m.test(text) || !/^tenderly_redis_up 1$/m.test(text))
          throw new Error(`${name} is not ready with Redis`);
      },
      { timeout: 30_000, interval: 200 },
    )
    .catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n--- ${name} output ---\n${proc.output.slice(-5000)}`);
    });
  await orStop(proc, ready);
  return {
    proc,
    port,
    metricsPort,
    address: `127.0.0.1:${port}`,
    metricsAddress,
    auditPath,
    audit: () => (existsSync(auditPath) ? parseJsonLines(readFileSync(auditPath, 'utf8')) : []),
    scrape,
  };
}

export function parseJsonLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return []; // a line still being written
      }
    });
}

// ---------------------------------------------------------------------------------------------
// Redis with redis/redis.conf, and its exporter

/** redis-server redis/redis.conf --requirepass X (the "local test" line of the file's header), loopback only. */
export function startRedis(): Promise<RedisServer> {
  requireBinary('redis-server', 'redis-server');
  return startRedisServer({
    configFile: join(REPO_ROOT, 'redis', 'redis.conf'),
    password: randomBytes(18).toString('hex'),
  });
}

export async function startRedisExporter(redis: RedisServer): Promise<{ proc: Proc; address: string }> {
  const exporter = requireBinary('prometheus-redis-exporter', 'prometheus-redis-exporter');
  const address = `127.0.0.1:${await freePort()}`;
  const proc = new Proc('redis-exporter', exporter, [
    `--redis.addr=redis://127.0.0.1:${redis.port}`,
    `--redis.password=${redis.password ?? ''}`,
    `--web.listen-address=${address}`,
  ]);
  await orStop(
    proc,
    vi.waitFor(
      async () => {
        if (!proc.running) throw new Error(`redis exporter exited:\n${proc.output}`);
        const res = await fetch(`http://${address}/metrics`);
        if (!res.ok || !/^redis_up 1$/m.test(await res.text()))
          throw new Error('the redis exporter does not see Redis (redis_up 1)');
      },
      { timeout: 30_000, interval: 200 },
    ),
  );
  return { proc, address };
}

// ---------------------------------------------------------------------------------------------
// nginx with nginx/nginx.conf, rendered by scripts/check-deploy.sh --render-nginx

export interface LocalNginx {
  proc: Proc;
  dir: string;
  httpPort: number;
  httpsPort: number;
  accessLog(): Array<Record<string, unknown>>;
  errorLog(): string;
}

/**
 * nginx with nginx/nginx.conf rendered for local upstreams: several addresses make a local pool; one
 * name (e.g. `app:PORT`) is looked up per request through `resolver` (a DNS server, ADDR:PORT).
 */
export async function startNginx(
  dir: string,
  upstreams: string[],
  options: { resolver?: string } = {},
): Promise<LocalNginx> {
  const nginx = requireBinary('nginx', 'nginx');
  requireBinary('openssl', 'openssl');
  const httpPort = await freePort();
  const httpsPort = await freePort();
  mkdirSync(dir, { recursive: true });
  // Workers (nobody when the master is root) create temp files under DIR/cache.
  chmodSync(dir, 0o755);
  run(
    'bash',
    [
      join(REPO_ROOT, 'scripts', 'check-deploy.sh'),
      '--render-nginx',
      dir,
      String(httpPort),
      String(httpsPort),
      ...upstreams,
    ],
    REPO_ROOT,
    { ...process.env, RESOLVER: options.resolver ?? '' },
  );
  const conf = join(dir, 'nginx.conf');
  const errorLogPath = join(dir, 'log', 'error.log');
  run(nginx, ['-t', '-q', '-p', dir, '-c', conf, '-e', errorLogPath], dir);
  const proc = new Proc('nginx', nginx, ['-p', dir, '-c', conf, '-e', errorLogPath, '-g', 'daemon off;']);
  const errorLog = () => (existsSync(errorLogPath) ? readFileSync(errorLogPath, 'utf8') : '');
  await orStop(
    proc,
    vi.waitFor(
      async () => {
        if (!proc.running) throw new Error(`nginx exited:\n${proc.output}\n${errorLog()}`);
        await new Promise<void>((resolve, reject) => {
          const socket = createConnection({ host: '127.0.0.1', port: httpsPort }, () => {
            socket.end();
            resolve();
          });
          socket.once('error', reject);
        });
      },
      { timeout: 15_000, interval: 100 },
    ),
  );
  const accessLogPath = join(dir, 'log', 'access.log');
  return {
    proc,
    dir,
    httpPort,
    httpsPort,
    accessLog: () => (existsSync(accessLogPath) ? parseJsonLines(readFileSync(accessLogPath, 'utf8')) : []),
    errorLog,
  };
}

// ---------------------------------------------------------------------------------------------
// Clients: HTTPS through nginx (self-signed certificate accepted), plain HTTP with any Host header

export interface EdgeResponse {
  status: number;
  /** Lower-cased header name → every value received (a doubled header shows up twice). */
  headers: Record<string, string[]>;
  body: string;
  json<T = any>(): T;
}

function collectHeaders(raw: string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] as string).toLowerCase();
    (headers[name] ??= []).push(raw[i + 1] as string);
  }
  return headers;
}

// No keep-alive: every request is a fresh TLS connection, nothing lingers after nginx stops.
const insecureAgent = new HttpsAgent({ rejectUnauthorized: false, keepAlive: false });

export function edgeRequest(
  port: number,
  method: string,
  path: string,
  options: {
    headers?: Record<string, string>;
    body?: unknown;
    tls?: boolean;
    timeoutMs?: number;
    /** The client's source address, e.g. 127.0.0.2: loopback gives each test client its own IP. */
    localAddress?: string;
  } = {},
): Promise<EdgeResponse> {
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { ...(options.headers ?? {}) };
  if (body !== undefined) {
    headers['content-type'] ??= 'application/json';
    headers['content-length'] = String(Buffer.byteLength(body));
  }
  const tls = options.tls ?? true;
  return new Promise((resolve, reject) => {
    const req = (tls ? httpsRequest : httpRequest)(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers,
        ...(options.localAddress ? { localAddress: options.localAddress } : {}),
        ...(tls ? { agent: insecureAgent, servername: 'localhost' } : { agent: false }),
        timeout: options.timeoutMs ?? 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: collectHeaders(res.rawHeaders),
            body: text,
            json: () => JSON.parse(text),
          });
        });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** An HTTP/1.0 request without any Host header, written by hand (clients always add one). */
export function rawHttpRequest(port: number, requestText: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer in ${timeoutMs} ms: ${reply}`));
    }, timeoutMs);
    socket.on('connect', () => socket.write(requestText));
    socket.on('data', (chunk) => (reply += chunk.toString('utf8')));
    socket.on('end', () => {
      clearTimeout(timer);
      resolve(reply);
    });
    socket.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

export async function removeDir(dir: string | undefined): Promise<void> {
  if (dir) await rm(dir, { recursive: true, force: true });
}

/** A stand-in upstream that answers 200 with the request headers it received, as JSON. */
export async function startHeaderEcho(): Promise<{ address: string; close(): Promise<void> }> {
  const server = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.headers));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    address: `127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
