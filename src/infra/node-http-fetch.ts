import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream/promises';
import { Writable, type Readable } from 'node:stream';
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
  for (const [name, value] of Object.entries(raw)) {
    // The body is handed over decoded, so its encoding and length no longer apply.
    if (value === undefined || name === 'content-encoding' || name === 'content-length') continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

/**
 * A `fetch` for the OpenAI SDK on `node:http` with keep-alive agents. Node 20's built-in fetch (undici with web
 * streams) cost about half of the CPU of a model-backed request in the benchmark; this reads the whole (small,
 * JSON) answer into a buffer before resolving, so the caller's AbortSignal also covers a body that stalls.
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

    return new Promise<Response>((resolve, reject) => {
      const req = transport.request(url, {
        method: init.method ?? 'GET',
        headers: Object.fromEntries(new Headers(init.headers)),
        agent: agents[url.protocol as 'http:' | 'https:'],
        ...(signal ? { signal } : {}),
      });
      req.once('error', reject);
      req.once('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const collect = new Writable({
          write(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            if (size > maxBytes) return done(new Error(`upstream answer larger than ${maxBytes} bytes`));
            chunks.push(chunk);
            done();
          },
        });
        pipeline(decoded(res), collect, ...(signal ? [{ signal }] : []))
          .then(() => {
            const status = res.statusCode ?? 502;
            const nullBody = status === 204 || status === 304 || (init.method ?? 'GET') === 'HEAD';
            resolve(
              new Response(nullBody ? null : Buffer.concat(chunks), {
                status,
                statusText: res.statusMessage ?? '',
                headers: toHeaders(res.headers),
              }),
            );
          })
          .catch((error: unknown) => {
            req.destroy();
            reject(error);
          });
      });
      req.end(body ?? undefined);
    });
  };
}
