// mcrd's API on a Unix socket only (MCR_HTTP_PORT=off, MCR_HTTP_SOCKET), end to end: the socket
// file gets its mode (0660) and group, mcrctl --socket (and MCR_SOCKET) lists and changes relays
// through it with the token rules unchanged, no TCP port is open, a stale socket file from a crash
// is replaced, and a second mcrd refuses a socket the first one still listens on.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Relay } from '@mcr/model';
import { e2eDatapathEnv } from '../lib/datapath';
import { MCRD_MAIN, mcrctl, waitForOutput } from './harness';

const TOKEN = 'socket-e2e-token';
/** Debian's nogroup: a group that exists everywhere and that root may give the socket to. */
const GROUP = 'nogroup';

let dir: string;
let socketPath: string;

interface Started {
  child: ChildProcess;
  output: () => string;
}

function startMcrd(name: string, env: Record<string, string> = {}): Started {
  let output = '';
  const child = spawn(process.execPath, [MCRD_MAIN], {
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      MCR_HTTP_PORT: 'off',
      MCR_HTTP_SOCKET: socketPath,
      MCR_HTTP_SOCKET_MODE: '0660',
      MCR_HTTP_SOCKET_GROUP: GROUP,
      MCR_API_TOKEN: TOKEN,
      MCR_STORE: `file:${join(dir, `${name}.json`)}`,
      MCR_NODE_ID: 'socket-e2e',
      MCR_LOG_FORMAT: 'json',
      ...e2eDatapathEnv(),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return { child, output: () => output };
}

async function stop({ child }: Started): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** A socket file whose process died without removing it: bound once, never listening. */
function leaveStaleSocket(path: string): void {
  execFileSync('python3', ['-c', `import socket; socket.socket(socket.AF_UNIX).bind(${JSON.stringify(path)})`]);
}

const viaSocket = (args: string[], env: Record<string, string> = {}) =>
  mcrctl('', ['--socket', socketPath, ...args], { MCR_URL: '', ...env });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcrd-socket-e2e-'));
  socketPath = join(dir, 'mcrd.sock');
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('mcrd on a Unix socket', () => {
  let mcrd: Started;

  beforeAll(async () => {
    leaveStaleSocket(socketPath);
    mcrd = startMcrd('first');
    await waitForOutput(mcrd.output, /mcrd ready: /, 30_000);
  });
  afterAll(async () => {
    await stop(mcrd);
  });

  it('replaced the stale socket file and gave the new one mode 0660 and its group', () => {
    const stat = statSync(socketPath);
    expect(stat.isSocket()).toBe(true);
    expect((stat.mode & 0o777).toString(8)).toBe('660');
    expect(stat.gid).toBe(Number(execFileSync('getent', ['group', GROUP], { encoding: 'utf8' }).split(':')[2]));
    expect(mcrd.output()).toMatch(new RegExp(`mcrd ready: API unix:${socketPath} \\(mode 0660\\): /api/v1`));
  });

  it('listens on no TCP port', () => {
    const listening = execFileSync('ss', ['-ltnpH'], { encoding: 'utf8' });
    expect(listening).not.toContain(`pid=${mcrd.child.pid},`);
  });

  it('mcrctl --socket and MCR_SOCKET reach it; writes still need the token', async () => {
    const add = ['add', '--name', 'sock-a', '--in', 'lo:127.0.0.1:46000', '--out', 'lo:127.0.0.1:46001'];
    const refused = await viaSocket(add);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('401 Unauthorized');
    expect((await viaSocket(add, { MCR_TOKEN: TOKEN })).code).toBe(0);
    const listed = await mcrctl('', ['list', '--json'], { MCR_URL: '', MCR_SOCKET: socketPath });
    expect(listed.code).toBe(0);
    expect((JSON.parse(listed.stdout) as Relay[]).map((relay) => relay.name)).toEqual(['sock-a']);
    expect((await viaSocket(['list'])).stdout).toMatch(/sock-a\s+forwarding\s+lo:127\.0\.0\.1:46000/);
  });

  it('a second mcrd refuses the socket the first one listens on, and leaves it working', async () => {
    const second = startMcrd('second');
    const [code] = (await once(second.child, 'exit')) as [number | null];
    expect(code).toBe(1);
    expect(second.output()).toContain(`MCR_HTTP_SOCKET ${socketPath} is in use`);
    expect((await viaSocket(['list'])).code).toBe(0);
  });

  it('removes the socket file when it stops', async () => {
    await stop(mcrd);
    expect(existsSync(socketPath)).toBe(false);
  });
});
