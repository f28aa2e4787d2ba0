import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.ts';

/** The one launcher of throw-away redis-servers for the tests and the benchmark. */
export interface RedisServer {
  /** redis://[:password@]127.0.0.1:port */
  readonly url: string;
  readonly port: number;
  readonly password: string | undefined;
  /** Graceful shutdown (SIGTERM); also removes the data directory. */
  stop(): Promise<void>;
  /** Sudden death (SIGKILL), as in a crash or an OOM kill; the port stays reserved for restart(). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Sends one command (after AUTH when there is a password) and returns the raw RESP reply, e.g. ':0'. */
  command(...args: string[]): Promise<string>;
}

export interface RedisServerOptions {
  /** A redis.conf to start from; without one, persistence is off and logging quiet. */
  readonly configFile?: string;
  /** Sets requirepass. */
  readonly password?: string;
  /** Extra redis-server arguments, e.g. ['--replicaof', '127.0.0.1', '6379']. */
  readonly args?: readonly string[];
  /** Run as a Sentinel watching this primary (quorum 1, down after 1 s), instead of a data server. */
  readonly sentinelOf?: { readonly name: string; readonly port: number };
}

/** Sentinel rewrites its configuration file as it learns the topology, so each gets its own. */
function writeSentinelConf(file: string, { name, port }: { name: string; port: number }): void {
  writeFileSync(
    file,
    [
      `sentinel monitor ${name} 127.0.0.1 ${port} 1`,
      `sentinel down-after-milliseconds ${name} 1000`,
      `sentinel failover-timeout ${name} 5000`,
      '',
    ].join('\n'),
  );
}

const START_TIMEOUT_MS = 15_000;

function encode(args: string[]): string {
  return `*${args.length}\r\n${args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('')}`;
}

/** Where the RESP reply starting at `from` ends, or -1 while it is incomplete. */
function replyEnd(buffer: Buffer, from: number): number {
  const lineEnd = buffer.indexOf('\r\n', from);
  if (lineEnd < 0) return -1;
  const type = String.fromCharCode(buffer[from] as number);
  const n = Number(buffer.subarray(from + 1, lineEnd).toString('latin1'));
  if (type === '$') return n < 0 ? lineEnd + 2 : buffer.length >= lineEnd + 4 + n ? lineEnd + 4 + n : -1;
  if (type === '*') {
    let at = lineEnd + 2;
    for (let i = 0; i < n; i++) {
      at = replyEnd(buffer, at);
      if (at < 0) return -1;
    }
    return at;
  }
  return lineEnd + 2;
}

/** Sends commands on one connection and returns each raw reply (CRLF-trimmed), e.g. ['+OK', '$1\r\n7']. */
export function redisCommands(port: number, commands: string[][], timeoutMs = 2000): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    let buffer = Buffer.alloc(0);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`redis did not answer ${commands.length} command(s) in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    socket.on('connect', () => socket.write(commands.map(encode).join('')));
    socket.on('data', (chunk: Buffer) => {
      buffer = Buffer.concat([buffer, chunk]);
      const replies: string[] = [];
      for (let at = 0; replies.length < commands.length;) {
        const end = replyEnd(buffer, at);
        if (end < 0) return;
        replies.push(buffer.subarray(at, end).toString('utf8').trimEnd());
        at = end;
      }
      clearTimeout(timer);
      socket.end();
      resolve(replies);
    });
  });
}

/** Starts a real redis-server on a free loopback port and waits until it answers PING. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const { configFile, password, sentinelOf } = options;
  const dir = mkdtempSync(join(tmpdir(), 'tenderly-redis-'));
  const sentinelConf = join(dir, 'sentinel.conf');
  if (sentinelOf) writeSentinelConf(sentinelConf, sentinelOf);
  let child: ChildProcess | null = null;
  let port = 0;

  const command = async (...args: string[]): Promise<string> => {
    const replies = await redisCommands(port, password ? [['AUTH', password], args] : [args]);
    return replies.at(-1) as string;
  };

  const exited = (proc: ChildProcess) =>
    proc.exitCode !== null || proc.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => proc.once('exit', () => resolve()));

  const launch = async (): Promise<void> => {
    const args = [
      ...(sentinelOf
        ? [sentinelConf, '--sentinel', '--loglevel', 'warning']
        : configFile
          ? [configFile]
          : ['--save', '', '--appendonly', 'no', '--loglevel', 'warning']),
      '--port',
      String(port),
      // Loopback only, whatever the config file binds.
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      ...(password ? ['--requirepass', password] : []),
      ...(options.args ?? []),
    ];
    const proc = spawn('redis-server', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    const keep = (chunk: Buffer) => (output = (output + chunk.toString('utf8')).slice(-5000));
    proc.stdout?.on('data', keep);
    proc.stderr?.on('data', keep);
    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      if (proc.exitCode !== null) throw new Error(`redis-server exited (${proc.exitCode}): ${output.trim()}`);
      try {
        if ((await command('PING')) === '+PONG') return;
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
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }

  const killOnExit = () => child?.kill('SIGKILL');
  process.once('exit', killOnExit);

  return {
    url: `redis://${password ? `:${password}@` : ''}127.0.0.1:${port}`,
    port,
    password,
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
    command,
  };
}
