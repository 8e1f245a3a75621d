// MCR_HTTP_SOCKET's file handling on a real file system: mode and group applied, a crashed
// process's socket replaced, a live one or a file that is not a socket left alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { groupId, listenOnSocket, removeStaleSocket } from '../src/http/unix-socket';

let dir: string;
const servers: Server[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcrd-socket-'));
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  rmSync(dir, { recursive: true, force: true });
});

function answering(): Server {
  const server = createServer((_req, res) => res.end('ok'));
  servers.push(server);
  return server;
}

function get(socketPath: string): Promise<string> {
  return new Promise((resolve, reject) => {
    request({ socketPath, path: '/' }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve(body));
    })
      .on('error', reject)
      .end();
  });
}

/** A socket file whose process is gone: bound, never listening, closed without unlinking. */
function staleSocket(path: string): void {
  execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(path)})`]);
}

describe('listenOnSocket', () => {
  it('listens with the configured mode and group', async () => {
    const path = join(dir, 'mcrd.sock');
    const gid = process.getgid?.() ?? 0;
    await listenOnSocket(answering(), { path, mode: 0o640, group: String(gid) });
    const stat = statSync(path);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o640);
    expect(stat.gid).toBe(gid);
    expect(await get(path)).toBe('ok');
  });

  it('replaces a socket left by a crash', async () => {
    const path = join(dir, 'mcrd.sock');
    staleSocket(path);
    await listenOnSocket(answering(), { path, mode: 0o660 });
    expect(await get(path)).toBe('ok');
  });

  it('refuses a socket another process listens on, and a file that is not a socket', async () => {
    const path = join(dir, 'mcrd.sock');
    await listenOnSocket(answering(), { path, mode: 0o660 });
    await expect(removeStaleSocket(path)).rejects.toThrow(`MCR_HTTP_SOCKET ${path} is in use`);
    expect(await get(path)).toBe('ok');
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'keep me');
    await expect(listenOnSocket(answering(), { path: file, mode: 0o660 })).rejects.toThrow('is not a socket');
  });
});

describe('groupId', () => {
  it('takes a gid as it is and looks a name up; an unknown name is named', () => {
    expect(groupId('4242')).toBe(4242);
    expect(groupId('root')).toBe(0);
    expect(() => groupId('no-such-group-here')).toThrow(
      "MCR_HTTP_SOCKET_GROUP 'no-such-group-here' is not a group on this host",
    );
  });
});
