// mcrctl against the real mcrd: every command, --json output parsed, exit codes for API and usage
// errors (switchover and maintenance on a node without a cluster), an all-or-nothing import, the
// export -> import round trip, and stats --watch riding out a service restart. Relays use unicast
// loopback addresses on `lo`; no traffic is sent.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Relay } from '@mcr/model';
import { freeLoopbackPort, mcrctl, McrdProcess, spawnMcrctl, waitForOutput } from './harness';

const A_FLAGS = ['--name', 'lab-a', '--in', 'lo:127.0.0.1:41000', '--out', 'lo:127.0.0.1:41001'];
const B_FLAGS = [
  '--name',
  'lab-b',
  '--in',
  'lo:127.0.0.1:41010',
  '--out',
  'lo:127.0.0.1:41011:ttl=16:dscp=46',
  '--out',
  'lo:127.0.0.1:41012:ttl=inherit',
  '--disabled',
];

let dir: string;
let port: number;
let mcrd: McrdProcess;
let url: string;

async function startMcrd(env: Record<string, string> = {}): Promise<void> {
  mcrd = new McrdProcess({ port, storePath: join(dir, 'relays.json'), env });
  await mcrd.start();
}

async function relaysNow(): Promise<Relay[]> {
  const result = await mcrctl(url, ['list', '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Relay[];
}

/** Runs mcrctl and requires exit 0, showing stderr when it is not. */
async function ok(args: string[], env: Record<string, string> = {}): Promise<string> {
  const result = await mcrctl(url, args, env);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  return result.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcrctl-e2e-'));
  port = await freeLoopbackPort();
  url = `http://127.0.0.1:${port}`;
  await startMcrd();
});

afterAll(async () => {
  await mcrd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('mcrctl against a running mcrd', () => {
  let a: Relay;
  let b: Relay;

  it('list on an empty service', async () => {
    expect(await ok(['list'])).toBe('no relays\n');
    expect(JSON.parse(await ok(['list', '--json']))).toEqual([]);
  });

  it('add creates relays from flags; --json returns the stored resource', async () => {
    a = JSON.parse(await ok(['add', ...A_FLAGS, '--json'])) as Relay;
    expect(a).toMatchObject({
      name: 'lab-a',
      enabled: true,
      input: { interface: 'lo', group: '127.0.0.1', port: 41000 },
      outputs: [{ interface: 'lo', group: '127.0.0.1', port: 41001 }],
    });
    expect(typeof a.id).toBe('string');
    const human = await ok(['add', ...B_FLAGS]);
    expect(human).toMatch(/^created relay lab-b \(/);
    expect(human).toMatch(/state:\s+disabled/);
    b = (await relaysNow()).find((r) => r.name === 'lab-b') as Relay;
    expect(b).toMatchObject({
      enabled: false,
      outputs: [
        { interface: 'lo', group: '127.0.0.1', port: 41011, ttl: 16, dscp: 46 },
        { interface: 'lo', group: '127.0.0.1', port: 41012, ttl: 'inherit' },
      ],
    });
  });

  it('list and get show the relays, by id or by name', async () => {
    const table = await ok(['list']);
    expect(table).toMatch(/^ID\s+NAME\s+STATE\s+INGRESS\s+OUTPUTS\s+REV\n/);
    // STATE is what the node does with each relay (from its stats), not just the stored flag.
    expect(table).toContain(`${a.id}  lab-a  forwarding  lo:127.0.0.1:41000`);
    expect(table).toContain(`${b.id}  lab-b  disabled    lo:127.0.0.1:41010`);
    expect(table).toContain('lo:127.0.0.1:41011:ttl=16:dscp=46, lo:127.0.0.1:41012:ttl=inherit');
    expect(JSON.parse(await ok(['get', a.id, '--json']))).toEqual(a);
    expect(JSON.parse(await ok(['get', 'lab-b', '--json']))).toEqual(b);
    expect(await ok(['get', 'lab-b'])).toMatch(/ingress:\s+lo:127\.0\.0\.1:41010\n/);
  });

  it('stats for all relays and for one, as a table and as JSON', async () => {
    const table = await ok(['stats']);
    expect(table).toMatch(/^node mcrctl-e2e \(active\)\n/);
    expect(table).toMatch(/NAME\s+STATE\s+DATAPATH\s+PACKETS IN\s+PKT\/S\s+MBIT\/S\s+DROPS/);
    expect(table).toMatch(/lab-a\s+forwarding\s+socket\s+0\s+0\s+0\.00\s+0/);
    expect(table).toMatch(/lab-b\s+disabled\s+socket\s+0/);
    const all = JSON.parse(await ok(['stats', '--json'])) as { relays: Array<{ id: string }> };
    expect(all.relays.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
    const one = JSON.parse(await ok(['stats', 'lab-a', '--json'])) as { id: string; packetsIn: number };
    expect(one).toMatchObject({
      id: a.id,
      packetsIn: 0,
      state: 'forwarding',
      interfacesDown: [],
      datapath: 'socket',
      rcvbufBytes: expect.any(Number),
    });
  });

  it('cluster shows the single node as active', async () => {
    const cluster = JSON.parse(await ok(['cluster', '--json'])) as { nodeId: string; role: string };
    expect(cluster).toMatchObject({ nodeId: 'mcrctl-e2e', role: 'active' });
    const table = await ok(['cluster']);
    expect(table).toMatch(/^node:\s+mcrctl-e2e\nrole:\s+active\nleader:\s+mcrctl-e2e\n\n/);
    expect(table).toMatch(
      /\nMEMBER\s+ROLE\s+LEADER\s+MAINTENANCE\s+LIVE INPUTS\s+LAST SEEN\nmcrctl-e2e\s+active\s+yes\s+off\s+-\s+\d+s ago\n$/,
    );
  });

  it('switchover and maintenance on a node without a cluster: exit 1 with the API message', async () => {
    const alone = `needs an HA cluster (MCR_STORE=etcd://...); this node runs alone with file:${join(dir, 'relays.json')}`;
    expect(await mcrctl(url, ['switchover', 'relay-b'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mcrctl: 409 Conflict: switchover ${alone}\n`,
    });
    for (const mode of ['on', 'off']) {
      expect(await mcrctl(url, ['maintenance', mode])).toEqual({
        code: 1,
        stdout: '',
        stderr: `mcrctl: 409 Conflict: maintenance ${alone}\n`,
      });
    }
    const badId = await mcrctl(url, ['switchover', 'no such node!']);
    expect(badId).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'mcrctl: 400 Bad Request: to must be a node id (1..63 letters, digits, ".", "_" or "-"), got "no such node!"\n',
    });
    const cluster = JSON.parse(await ok(['cluster', '--json'])) as {
      role: string;
      members: Array<{ maintenance: boolean }>;
    };
    expect(cluster).toMatchObject({ role: 'active', members: [{ maintenance: false }] });
  });

  it('API errors exit 1 with the API message and change nothing', async () => {
    const before = await relaysNow();
    const cases: Array<[string[], RegExp]> = [
      [['add', ...A_FLAGS], /^mcrctl: 409 Conflict.*lab-a/s],
      [
        ['add', '--name', 'loop', '--in', 'lo:127.0.0.1:41020', '--out', 'lo:127.0.0.1:41020'],
        /^mcrctl: 422 Unprocessable Entity.*127\.0\.0\.1/s,
      ],
      [
        ['add', '--name', 'bad-if', '--in', 'averyveryverylongname0:127.0.0.1:41030', '--out', 'lo:127.0.0.1:41031'],
        /^mcrctl: 400 Bad Request.*input\.interface/s,
      ],
      [['get', 'no-such-relay'], /^mcrctl: 404 Not Found: no relay has the id or name 'no-such-relay'\n$/],
      [['rm', 'no-such-relay'], /^mcrctl: 404 Not Found: /],
      [['stats', 'no-such-relay'], /^mcrctl: 404 Not Found: /],
    ];
    for (const [args, stderr] of cases) {
      const result = await mcrctl(url, args);
      expect({ args, code: result.code, stdout: result.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(result.stderr).toMatch(stderr);
      expect(result.stderr).not.toMatch(/\n\s+at /); // a message, never a stack trace
    }
    expect(await relaysNow()).toEqual(before);
  });

  it('usage errors exit 2 naming the flag and value, and never reach the service', async () => {
    const before = await relaysNow();
    const cases: Array<[string[], string]> = [
      [
        ['add', '--name', 'x', '--in', 'lo:127.0.0.1:41040', '--out', 'lo:127.0.0.1:70000'],
        "--out 'lo:127.0.0.1:70000': port must be an integer 1..65535, got '70000'",
      ],
      [
        ['add', '--name', 'x', '--in', 'lo:ff3e::1:5000', '--out', 'lo:127.0.0.1:1'],
        'write IPv6 addresses in brackets',
      ],
      [
        ['add', '--name', 'x', '--in', 'lo:127.0.0.1:41040', '--out', 'lo:127.0.0.1:41041:dscp=99'],
        "dscp must be an integer 0..63, got '99'",
      ],
      [['add', '--in', 'lo:127.0.0.1:41040', '--out', 'lo:127.0.0.1:41041'], '--name is required'],
      [['frobnicate'], "unknown command 'frobnicate'"],
      [['get'], 'get: missing <id|name>'],
      [['switchover'], 'switchover: missing <node>'],
      [['maintenance', 'maybe'], "maintenance: mode must be 'on' or 'off', got 'maybe'"],
      [['list', '--verbose'], "Unknown option '--verbose'"],
      [['--url', 'not a url', 'list'], "--url 'not a url' is not a valid URL"],
    ];
    for (const [args, message] of cases) {
      const result = await mcrctl(url, args);
      expect({ args, code: result.code }).toEqual({ args, code: 2 });
      expect(result.stderr).toContain(message);
    }
    expect(await relaysNow()).toEqual(before);
  });

  it('--help for every command exits 0 with an example', async () => {
    for (const command of [
      'list',
      'get',
      'add',
      'rm',
      'stats',
      'cluster',
      'switchover',
      'maintenance',
      'import',
      'export',
    ]) {
      const result = await mcrctl(url, [command, '--help']);
      expect({ command, code: result.code }).toEqual({ command, code: 0 });
      expect(result.stdout).toMatch(new RegExp(`^usage: mcrctl ${command}`));
      expect(result.stdout).toMatch(new RegExp(`examples?:\\n  mcrctl ${command}`));
    }
    expect((await mcrctl(url, ['--help'])).stdout).toContain('exit codes:');
  });

  it('an import with one bad rule is rejected whole: exit 1, the rule named, nothing changed', async () => {
    const before = await relaysNow();
    const file = join(dir, 'one-bad.json5');
    writeFileSync(
      file,
      `// lab-c is fine; lab-d has a bad port, so neither may be applied
      { rules: [
        { name: 'lab-c', input: { interface: 'lo', group: '127.0.0.1', port: 41050 },
          outputs: [ { interface: 'lo', group: '127.0.0.1', port: 41051 } ] },
        { name: 'lab-d', input: { interface: 'lo', group: '127.0.0.1', port: 41060 },
          outputs: [ { interface: 'lo', group: '127.0.0.1', port: 70000 } ] },
      ] }`,
    );
    const result = await mcrctl(url, ['import', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^mcrctl: 400 Bad Request/);
    expect(result.stderr).toMatch(/rules\[1\].*lab-d.*outputs\[0\]\.port/);
    expect(await relaysNow()).toEqual(before);
  });

  it('export -> import round-trips through the CLI', async () => {
    const exported = join(dir, 'export.json5');
    expect(await mcrctl(url, ['export', '-o', exported])).toEqual({
      code: 0,
      stdout: '',
      stderr: `exported to ${exported}\n`,
    });
    const text = readFileSync(exported, 'utf8');
    expect(await ok(['export'])).toBe(text);

    // Unchanged: importing the export onto the same relays changes nothing.
    expect(JSON.parse(await ok(['import', exported, '--json']))).toMatchObject({
      created: [],
      replaced: [],
      deleted: [],
    });

    for (const name of ['lab-a', 'lab-b'])
      expect(await ok(['rm', name])).toMatch(new RegExp(`^deleted relay ${name} \\(`));
    expect(await relaysNow()).toEqual([]);

    const summary = await ok(['import', exported]);
    expect(summary).toMatch(/^import applied\ncreated:\s+2 \((lab-a, lab-b|lab-b, lab-a)\)\n/);
    // The same rules come back; their order follows the store's listing, which ids may change.
    const rulesOf = (exportText: string) =>
      (JSON.parse(exportText) as { rules: Array<{ name: string }> }).rules.sort((x, y) => x.name.localeCompare(y.name));
    expect(rulesOf(await ok(['export']))).toEqual(rulesOf(text));
    const restored = await relaysNow();
    const specs = (relays: Relay[]) =>
      relays
        .map(({ name, enabled, input, outputs }) => ({ name, enabled, input, outputs }))
        .sort((x, y) => x.name.localeCompare(y.name));
    expect(specs(restored)).toEqual(specs([a, b]));
  });

  it('import --replace deletes the relays the file does not name', async () => {
    const onlyA = join(dir, 'only-a.json5');
    writeFileSync(
      onlyA,
      `{ rules: [ { name: 'lab-a', input: { interface: 'lo', group: '127.0.0.1', port: 41000 }, outputs: [ { interface: 'lo', group: '127.0.0.1', port: 41001 } ] } ] }`,
    );
    const result = JSON.parse(await ok(['import', '--replace', onlyA, '--json'])) as {
      deleted: Array<{ name: string }>;
    };
    expect(result.deleted.map((r) => r.name)).toEqual(['lab-b']);
    expect((await relaysNow()).map((r) => r.name)).toEqual(['lab-a']);
  });

  it('stats --watch says when the service goes away, keeps retrying, resumes, and stops on Ctrl-C', async () => {
    const watch = spawnMcrctl(url, ['stats', '--watch']);
    let stdout = '';
    let stderr = '';
    watch.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    watch.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => watch.on('close', (code) => resolve(code)));
    try {
      await waitForOutput(() => stdout, /lab-a/, 10_000);
      await mcrd.stop();
      await waitForOutput(() => stderr, new RegExp(`service unreachable at ${url}: connect ECONNREFUSED`), 10_000);
      const tablesBefore = stdout.split('(Ctrl-C to stop)').length;
      await startMcrd();
      await waitForOutput(() => stderr, new RegExp(`service at ${url} is back`), 10_000);
      await waitForOutput(() => String(stdout.split('(Ctrl-C to stop)').length > tablesBefore), /true/, 10_000);
    } finally {
      watch.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    expect(stderr.match(/service unreachable/g)).toHaveLength(1); // once per outage when piped
  });

  it('a token-protected service: 401 without the token, success with --token or MCR_TOKEN', async () => {
    await mcrd.stop();
    await startMcrd({ MCR_API_TOKEN: 'write-secret', MCR_API_TOKEN_READ: 'write-secret' });
    const denied = await mcrctl(url, ['list']);
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/^mcrctl: 401 Unauthorized/);
    expect(JSON.parse(await ok(['list', '--json', '--token', 'write-secret']))).toHaveLength(1);
    expect(await ok(['rm', 'lab-a'], { MCR_TOKEN: 'write-secret' })).toMatch(/^deleted relay lab-a/);
  });
});
