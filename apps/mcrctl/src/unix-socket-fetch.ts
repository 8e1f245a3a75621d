// fetch() over a Unix socket (`mcrctl --socket PATH`, mcrd's MCR_HTTP_SOCKET). Node's global
// fetch cannot dial a socket path without undici's own API, so this is the small subset of fetch
// ApiClient uses, on node:http: method, headers, a text body, a signal, and a real Response back.
import { request } from 'node:http';

export function unixSocketFetch(socketPath: string): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const req = request(
        {
          socketPath,
          path: `${url.pathname}${url.search}`,
          method: init.method ?? 'GET',
          headers: { host: 'localhost', ...(init.headers as Record<string, string> | undefined) },
          signal: init.signal ?? undefined,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const status = res.statusCode ?? 500;
            const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
            const headers = new Headers();
            for (const [name, value] of Object.entries(res.headers)) {
              if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
            }
            resolve(new Response(body, { status, statusText: res.statusMessage ?? '', headers }));
          });
        },
      );
      // The same shape as fetch's network errors, so describeFetchFailure finds the reason in `cause`.
      req.on('error', (error) =>
        reject(
          error.name === 'AbortError'
            ? (init.signal?.reason ?? error)
            : new TypeError('fetch failed', { cause: error }),
        ),
      );
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
}
