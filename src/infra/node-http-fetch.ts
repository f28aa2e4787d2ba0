import http from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

/** An answer larger than this is refused: no model answer here comes near it, a broken upstream might. */
const MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

export interface NodeHttpFetchOptions {
  maxResponseBytes?: number;
}

function decoded(res: http.IncomingMessage): Readable {
  switch ((res.headers['content-encoding'] ?? '').toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(zlib.createGunzip());
    case 'deflate':
      return res.pipe(zlib.createInflate());
    case 'br':
      return res.pipe(zlib.createBrotliDecompress());
    default:
      return res;
  }
}

function toHeaders(raw: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const name in raw) {
    const value = raw[name];
    // The body is handed over decoded, so its encoding and length no longer apply.
    if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

/**
 * A real `Response` whose body is an already-read buffer. Built with a null body, so no web stream is created
 * per call (on Node 20 that stream was ~20 µs of CPU per answer); the body methods read the buffer.
 */
class BufferedResponse extends Response {
  readonly #body: Buffer;

  constructor(body: Buffer, init: ResponseInit) {
    super(null, init);
    this.#body = body;
  }

  // Properties, not methods: that is how the DOM typings declare them.
  override readonly text = (): Promise<string> => Promise.resolve(this.#body.toString('utf8'));

  override readonly json = (): Promise<unknown> => this.text().then(JSON.parse);

  override readonly arrayBuffer = (): Promise<ArrayBuffer> => {
    const { buffer, byteOffset, byteLength } = this.#body;
    return Promise.resolve(buffer.slice(byteOffset, byteOffset + byteLength) as ArrayBuffer);
  };
}

function abortError(signal: AbortSignal): Error {
  const error = new Error('The operation was aborted', { cause: signal.reason });
  error.name = 'AbortError';
  return error;
}

/** The request headers as a plain object (the SDK hands over a `Headers`). */
function plainHeaders(init: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  if (!init) return out;
  if (init instanceof Headers) init.forEach((value, name) => (out[name] = value));
  else if (Array.isArray(init)) for (const [name, value] of init) out[name as string] = value as string;
  else Object.assign(out, init);
  return out;
}

/**
 * A `fetch` for the OpenAI SDK on `node:http` with keep-alive agents. Node's built-in fetch (undici with web
 * streams) cost about half of the CPU of a model-backed request in the benchmark. This one reads the whole (small,
 * JSON) answer into a buffer before resolving, so the caller's AbortSignal (the SDK's per-call timeout) also covers
 * a body that stalls after the headers; per call it adds one abort listener and one `Response` without a stream.
 */
export function createNodeHttpFetch(options: NodeHttpFetchOptions = {}): typeof fetch {
  const maxBytes = options.maxResponseBytes ?? MAX_RESPONSE_BYTES;
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxFreeSockets: 256 }),
    'https:': new https.Agent({ keepAlive: true, maxFreeSockets: 256 }),
  };

  return (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    const transport = url.protocol === 'https:' ? https : url.protocol === 'http:' ? http : null;
    if (!transport) return Promise.reject(new TypeError(`unsupported protocol ${url.protocol}`));
    const body = init.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      return Promise.reject(new TypeError('only string or byte bodies are supported'));
    }
    const signal = init.signal ?? undefined;
    if (signal?.aborted) return Promise.reject(abortError(signal));
    const method = init.method ?? 'GET';

    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const req = transport.request(url, {
        method,
        headers: plainHeaders(init.headers),
        agent: agents[url.protocol as 'http:' | 'https:'],
      });
      const finish = (error: Error | null, response?: Response) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        if (error) {
          req.destroy();
          reject(error);
        } else resolve(response as Response);
      };
      const onAbort = () => finish(abortError(signal as AbortSignal));
      signal?.addEventListener('abort', onAbort);
      req.once('error', (error) => finish(error));
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const stream = decoded(res);
        stream.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) finish(new Error(`upstream answer larger than ${maxBytes} bytes`));
          else chunks.push(chunk);
        });
        const fail = (error: Error) => finish(error);
        res.once('error', fail);
        if (stream !== res) stream.once('error', fail);
        // A connection that closes before the whole body arrived is an error, not a short answer.
        res.once('close', () => {
          if (!res.complete) finish(new Error('upstream closed the connection mid-answer'));
        });
        stream.once('end', () => {
          const status = res.statusCode ?? 502;
          const nullBody = status === 204 || status === 304 || method === 'HEAD';
          finish(
            null,
            new BufferedResponse(nullBody ? Buffer.alloc(0) : Buffer.concat(chunks, size), {
              status,
              statusText: res.statusMessage ?? '',
              headers: toHeaders(res.headers),
            }),
          );
        });
      });
      req.end(body ?? undefined);
    });
  };
}
