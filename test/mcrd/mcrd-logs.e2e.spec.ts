// What mcrd writes to its log, end to end: the built mcrd on loopback with a file store. API
// reads at debug, changes at info, health and metrics never; JSON lines when the log is not a
// terminal, one readable line per record with MCR_LOG_FORMAT=pretty; Nest's route mapping only at
// debug; and `npm start` ends its start-up with the line that says where the API, /docs and
// /metrics are.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freeLoopbackPort, McrdProcess, REPO_ROOT, waitForOutput } from '../mcrctl/harness';

const RELAY = {
  name: 'log-feed',
  input: { interface: 'lo', group: '127.0.0.1', port: 44000 },
  outputs: [{ interface: 'lo', group: '127.0.0.1', port: 44001 }],
};

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mcrd-logs-e2e-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  req?: { method: string; url: string };
  /** Only on the line that ends a request (lines logged while serving it carry `req` too). */
  res?: { statusCode: number };
}

function jsonLines(log: string): LogLine[] {
  return log
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

/** Starts mcrd, sends a read, a write, a health check and a metrics scrape, stops it; its log. */
async function logOfRequests(name: string, env: Record<string, string>): Promise<string> {
  const port = await freeLoopbackPort();
  const mcrd = new McrdProcess({ port, storePath: join(dir, `${name}.json`), env });
  await mcrd.start();
  try {
    expect((await fetch(`${mcrd.url}/api/v1/relays`)).status).toBe(200);
    const created = await fetch(`${mcrd.url}/api/v1/relays`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(RELAY),
    });
    expect(created.status).toBe(201);
    expect((await fetch(`${mcrd.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${mcrd.url}/metrics`)).status).toBe(200);
    await waitForOutput(() => mcrd.log, /POST \/api\/v1\/relays 201/, 5_000);
  } finally {
    await mcrd.stop();
  }
  return mcrd.log;
}

describe('mcrd logs', () => {
  it('at info: the write is logged, the read, health and metrics are not; routes are not listed', async () => {
    const lines = jsonLines(await logOfRequests('info', { MCR_LOG_LEVEL: 'info' }));
    const requests = lines.filter((line) => line.res !== undefined).map((line) => [line.level, line.msg]);
    expect(requests).toEqual([[30, expect.stringMatching(/^POST \/api\/v1\/relays 201 \d+ ms$/)]]);
    expect(lines.some((line) => line.context === 'Relays' && /log-feed\) created/.test(line.msg))).toBe(true);
    expect(lines.some((line) => line.context === 'RoutesResolver' || line.context === 'RouterExplorer')).toBe(false);
    expect(lines.find((line) => line.context === 'Main')?.msg).toMatch(
      /^mcrd ready: API http:\/\/127\.0\.0\.1:\d+\/api\/v1, docs http:\/\/127\.0\.0\.1:\d+\/docs, metrics http:\/\/127\.0\.0\.1:\d+\/metrics/,
    );
  });

  it('at debug: the read is logged at debug, and so is the route mapping; never health or metrics', async () => {
    const lines = jsonLines(await logOfRequests('debug', { MCR_LOG_LEVEL: 'debug' }));
    const requests = lines.filter((line) => line.res !== undefined).map((line) => [line.level, line.req?.url]);
    expect(requests).toEqual([
      [20, '/api/v1/relays'],
      [30, '/api/v1/relays'],
    ]);
    expect(lines.some((line) => line.level === 20 && line.context === 'RouterExplorer')).toBe(true);
  });

  it('MCR_LOG_FORMAT=pretty writes one readable line per record', async () => {
    const log = await logOfRequests('pretty', { MCR_LOG_LEVEL: 'info', MCR_LOG_FORMAT: 'pretty' });
    expect(log).not.toMatch(/^\{/m);
    expect(log).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}http: POST \/api\/v1\/relays 201 \d+ ms \(request [\w-]+\)$/m);
    expect(log).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}Main: mcrd ready: API http:\/\/127\.0\.0\.1:\d+\/api\/v1, /m);
  });

  it('npm start: a few lines, the last of them where the API, /docs and /metrics are', async () => {
    const port = await freeLoopbackPort();
    const child = spawn('npm', ['start'], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/root',
        MCR_HTTP_PORT: String(port),
        MCR_STORE: `file:${join(dir, 'npm-start.json')}`,
        MCR_LOG_FORMAT: 'pretty',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    try {
      await waitForOutput(() => output, /mcrd ready: .*\n/, 90_000);
      const lines = output.trimEnd().split('\n');
      expect(lines.length).toBeLessThanOrEqual(10);
      expect(lines[lines.length - 1]).toMatch(
        new RegExp(
          `mcrd ready: API http://127\\.0\\.0\\.1:${port}/api/v1, docs http://127\\.0\\.0\\.1:${port}/docs, metrics http://127\\.0\\.0\\.1:${port}/metrics`,
        ),
      );
    } finally {
      // npm runs the start script in its own process group: end the whole group, then wait.
      process.kill(-(child.pid as number), 'SIGTERM');
      await new Promise((resolve) => child.once('close', resolve));
    }
  });
});
