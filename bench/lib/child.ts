import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';

/** A server the harness started in its own process; it reports its URL over IPC once listening. */
export interface ChildServer {
  name: string;
  child: ChildProcess;
  pid: number;
  url: string;
  /** Resolves with the exit code once the process is gone. */
  exited: Promise<number | null>;
  stop(): Promise<number | null>;
}

export interface SpawnOptions {
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeFlags?: string[];
  /** Where stdout/stderr go: a file path (logs are written the way a container runtime would keep them). */
  logFile: string;
  timeoutMs?: number;
}

/**
 * Starts `node --import tsx <script>` with an IPC channel. The script sends `{ listening: url }` when ready.
 * Stdout/stderr go to a file, never to a pipe the harness must drain (the load generator shares our event loop).
 */
export async function startChild(name: string, script: string, options: SpawnOptions): Promise<ChildServer> {
  const fd = openSync(options.logFile, 'a');
  const child = spawn(process.execPath, [...(options.nodeFlags ?? []), '--import', 'tsx', script], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${name}: no "listening" message within ${options.timeoutMs ?? 30_000} ms`)),
      options.timeoutMs ?? 30_000,
    );
    const fail = (error: Error) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      let log = '';
      try {
        log = readFileSync(options.logFile, 'utf8').slice(-3000);
      } catch {
        /* no log */
      }
      reject(new Error(`${error.message}\n--- ${name} log tail ---\n${log}`));
    };
    child.on('message', (message: { listening?: string }) => {
      if (message.listening) {
        clearTimeout(timer);
        resolve(message.listening);
      }
    });
    void exited.then((code) => fail(new Error(`${name}: exited with ${code} before listening`)));
  });
  child.disconnect?.();
  return {
    name,
    child,
    pid: child.pid as number,
    url,
    exited,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}

/** Tells the parent where this server listens (used by the scripts in bench/servers). */
export function announce(url: string): void {
  if (process.send) process.send({ listening: url });
  else console.log(`listening at ${url}`);
}
