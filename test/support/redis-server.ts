import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly url: string;
  readonly port: number;
  /** Graceful shutdown (SIGTERM); also removes the data directory. */
  stop(): Promise<void>;
  /** Sudden death (SIGKILL), as in a crash or an OOM kill; the port stays reserved for restart(). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Sends one command and returns the raw RESP reply, e.g. command('FLUSHALL'). */
  command(...args: string[]): Promise<string>;
}

const START_TIMEOUT_MS = 15_000;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Simple replies (+OK, :1, -ERR) end at the first CRLF; a bulk string ($n) after its n bytes. */
function isComplete(reply: string): boolean {
  const headerEnd = reply.indexOf('\r\n');
  if (headerEnd < 0) return false;
  if (!reply.startsWith('$')) return true;
  const length = Number(reply.slice(1, headerEnd));
  return length < 0 || Buffer.byteLength(reply) >= headerEnd + 2 + length + 2;
}

/** One RESP command over a fresh socket; rejects when nothing listens. */
function rawCommand(port: number, args: string[], timeoutMs = 2000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let reply = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('redis command timed out'));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('connect', () => socket.write(encode(args)));
    socket.on('data', (chunk) => {
      reply += chunk.toString('utf8');
      if (isComplete(reply)) {
        clearTimeout(timer);
        socket.end();
        resolve(reply.trimEnd());
      }
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export interface RedisServerOptions {
  /** Extra redis-server arguments, e.g. ['--replicaof', '127.0.0.1', '6379']. */
  readonly args?: readonly string[];
  /** Run as a Sentinel watching this primary (quorum 1, down after 1 s), instead of a data server. */
  readonly sentinelOf?: { readonly name: string; readonly port: number };
}

/** Starts a real, throw-away redis-server on a free loopback port and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const dir = mkdtempSync(join(tmpdir(), 'tenderly-redis-'));
  const sentinelConf = join(dir, 'sentinel.conf');
  if (options.sentinelOf) {
    // Sentinel rewrites its configuration file as it learns the topology, so it gets its own.
    const { name, port: primary } = options.sentinelOf;
    writeFileSync(
      sentinelConf,
      [
        `sentinel monitor ${name} 127.0.0.1 ${primary} 1`,
        `sentinel down-after-milliseconds ${name} 1000`,
        `sentinel failover-timeout ${name} 5000`,
        '',
      ].join('\n'),
    );
  }
  let child: ChildProcess | null = null;
  let port = 0;

  const exited = (proc: ChildProcess) =>
    proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const launch = async (): Promise<void> => {
    const common = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--loglevel', 'warning'];
    const args = options.sentinelOf
      ? [sentinelConf, '--sentinel', ...common]
      : [...common, '--save', '', '--appendonly', 'no', ...(options.args ?? [])];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited (${proc.exitCode}): ${stderr.trim()}`);
      try {
        if ((await rawCommand(port, ['PING'], 500)) === '+PONG') return;
      } catch {
        // not listening yet
      }
      await sleep(50);
    }
    proc.kill('SIGKILL');
    throw new Error(`redis-server did not answer PING on port ${port} within ${START_TIMEOUT_MS} ms`);
  };

  const terminate = async (signal: NodeJS.Signals): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc) return;
    const gone = exited(proc);
    proc.kill(signal);
    await gone;
  };

  // A free port can be taken between probing and binding; try a few.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    try {
      await launch();
      break;
    } catch (error) {
      await terminate('SIGKILL');
      if (attempt >= 3) throw error;
    }
  }

  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    stop: async () => {
      process.off('exit', killOnExit);
      await terminate('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
    kill: () => terminate('SIGKILL'),
    restart: async () => {
      await terminate('SIGKILL');
      await launch();
    },
    command: (...args: string[]) => rawCommand(port, args),
  };
}

/** Polls `probe` until it returns a value other than undefined, or fails after the deadline. */
export async function pollUntil<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 20_000, intervalMs = 100, what = 'condition' } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}
