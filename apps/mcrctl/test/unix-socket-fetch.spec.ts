// ApiClient through a Unix socket (--socket): requests, headers, bodies, status and errors
// travel exactly as over TCP, against a real HTTP server on a socket in a temp directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, ApiError, ServiceUnreachableError } from '../src/api-client';

let dir: string;
let server: Server;
let socketPath: string;
const seen: { method?: string; url?: string; auth?: string; type?: string; body: string }[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcrctl-socket-'));
  socketPath = join(dir, 'mcrd.sock');
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body,
      });
      if (req.url === '/api/v1/relays/missing') {
        res.writeHead(404, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ statusCode: 404, error: 'Not Found', message: "relay 'missing' not found" }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json', etag: '"4"' });
      res.end(JSON.stringify({ echoed: body === '' ? null : JSON.parse(body) }));
    });
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

describe('ApiClient over a Unix socket', () => {
  const client = () => new ApiClient({ baseUrl: 'http://localhost', socketPath, token: 't0k' });

  it('sends method, path with query, token, content type and body; reads the JSON answer', async () => {
    seen.length = 0;
    expect(await client().getJson('/api/v1/relays?name=a')).toEqual({ echoed: null });
    expect(await client().patchJson('/api/v1/relays/x', { enabled: false }, '"3"')).toEqual({
      echoed: { enabled: false },
    });
    expect(seen).toEqual([
      { method: 'GET', url: '/api/v1/relays?name=a', auth: 'Bearer t0k', type: undefined, body: '' },
      {
        method: 'PATCH',
        url: '/api/v1/relays/x',
        auth: 'Bearer t0k',
        type: 'application/merge-patch+json',
        body: '{"enabled":false}',
      },
    ]);
  });

  it('turns an error answer into ApiError and a missing socket into ServiceUnreachableError naming it', async () => {
    await expect(client().getJson('/api/v1/relays/missing')).rejects.toEqual(
      new ApiError(404, 'Not Found', ["relay 'missing' not found"]),
    );
    const absent = new ApiClient({ baseUrl: 'http://localhost', socketPath: join(dir, 'absent.sock') });
    const failure = absent.getJson('/api/v1/relays');
    await expect(failure).rejects.toBeInstanceOf(ServiceUnreachableError);
    await expect(failure).rejects.toThrow(`service unreachable at unix:${join(dir, 'absent.sock')}: connect ENOENT`);
  });
});
