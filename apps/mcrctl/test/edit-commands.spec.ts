// runCli against a scripted loopback service, for the commands that change a relay in place
// (enable, disable, set: merge patches), import --dry-run, --version, completion, and the advice
// after a 401.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/main';
import { FakeService, type RecordedRequest } from './fake-service';

const relay = {
  id: 'f0e1d2c3',
  name: 'feed-a',
  enabled: true,
  input: { interface: 'lo', group: '127.0.0.1', port: 41000, sources: ['10.0.0.5'] },
  outputs: [
    { interface: 'lo', group: '127.0.0.1', port: 41001, ttl: 1, dscp: 0 },
    { interface: 'lo', group: '127.0.0.1', port: 41002, ttl: 8, dscp: 0 },
  ],
  revision: 3,
};

let service: FakeService;
let url: string;
let patches: RecordedRequest[];

beforeEach(async () => {
  service = new FakeService();
  url = await service.start();
  patches = [];
  service.on(`GET /api/v1/relays/${relay.id}`, { status: 200, body: relay });
  service.on('GET /api/v1/relays?name=feed-a', { status: 200, body: [relay] });
  service.on(`PATCH /api/v1/relays/${relay.id}`, (request) => {
    patches.push(request);
    return { status: 200, body: { ...relay, ...(JSON.parse(request.body) as object), revision: 4 } };
  });
});
afterEach(() => service.stop());

async function cli(argv: string[], env: NodeJS.ProcessEnv = {}) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    env: { MCR_URL: url, ...env },
    out: { write: (text: string) => (stdout += text) },
    err: { write: (text: string) => (stderr += text) },
    interactive: false,
    signal: new AbortController().signal,
  });
  return { code, stdout, stderr };
}

function sentPatch(): { body: unknown; type: unknown; ifMatch: unknown } {
  expect(patches).toHaveLength(1);
  const [request] = patches;
  return {
    body: JSON.parse(request.body),
    type: request.headers['content-type'],
    ifMatch: request.headers['if-match'],
  };
}

describe('enable and disable', () => {
  it.each([
    ['disable', false],
    ['enable', true],
  ])('%s sends a merge patch of enabled alone, by name', async (verb, enabled) => {
    const result = await cli([verb, 'feed-a']);
    expect(result).toEqual({ code: 0, stdout: `${verb}d relay feed-a (f0e1d2c3)\n`, stderr: '' });
    expect(sentPatch()).toEqual({ body: { enabled }, type: 'application/merge-patch+json', ifMatch: undefined });
  });
});

describe('set', () => {
  it('--ttl rewrites the current outputs with If-Match of the revision read', async () => {
    const result = await cli(['set', 'feed-a', '--ttl', '16', '--dscp', '46']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^updated relay feed-a \(f0e1d2c3\)/);
    expect(sentPatch()).toEqual({
      body: {
        outputs: [
          { interface: 'lo', group: '127.0.0.1', port: 41001, ttl: 16, dscp: 46 },
          { interface: 'lo', group: '127.0.0.1', port: 41002, ttl: 16, dscp: 46 },
        ],
      },
      type: 'application/merge-patch+json',
      ifMatch: '"3"',
    });
  });

  it('--out replaces the outputs (--ttl fills in where ttl= is not given); --in keeps the sources', async () => {
    await cli([
      'set',
      'f0e1d2c3',
      '--name',
      'feed-b',
      '--in',
      'lo:127.0.0.1:42000',
      '--out',
      'lo:127.0.0.1:42001:ttl=4',
      '--out',
      'lo:[::1]:42002',
      '--ttl',
      '9',
    ]);
    expect(sentPatch()).toEqual({
      body: {
        name: 'feed-b',
        input: { interface: 'lo', group: '127.0.0.1', port: 42000 },
        outputs: [
          { interface: 'lo', group: '127.0.0.1', port: 42001, ttl: 4 },
          { interface: 'lo', group: '::1', port: 42002, ttl: 9 },
        ],
      },
      type: 'application/merge-patch+json',
      ifMatch: undefined,
    });
  });

  it('--any-source removes the source list (null in the merge patch)', async () => {
    await cli(['set', 'feed-a', '--any-source']);
    expect(sentPatch().body).toEqual({ input: { sources: null } });
  });

  it('--preferred-node sets it and --any-node removes it (null in the merge patch)', async () => {
    await cli(['set', 'feed-a', '--preferred-node', 'mcr-b']);
    expect(sentPatch().body).toEqual({ preferredNode: 'mcr-b' });
    patches.length = 0;
    await cli(['set', 'feed-a', '--any-node']);
    expect(sentPatch().body).toEqual({ preferredNode: null });
  });

  it.each([
    [['set', 'feed-a'], 'set: nothing to change'],
    [['set', 'feed-a', '--preferred-node', 'b', '--any-node'], '--preferred-node and --any-node contradict'],
    [['set', 'feed-a', '--preferred-node', 'b c'], "--preferred-node 'b c': a node id must be"],
    [['set', 'feed-a', '--ttl', '300'], "--ttl '300': ttl must be"],
    [['set', 'feed-a', '--source', '10.0.0.1', '--any-source'], '--source and --any-source contradict'],
    [['set', 'feed-a', '--out', 'lo:127.0.0.1'], "--out 'lo:127.0.0.1': expected INTERFACE:ADDRESS:PORT"],
  ])('%j is a usage error (exit 2) that never calls the service', async (argv, message) => {
    const result = await cli(argv);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain("Run 'mcrctl set --help'");
    expect(service.requests).toEqual([]);
  });

  it('a 412 (the relay changed meanwhile) is reported with the service message, exit 1', async () => {
    service.on(`PATCH /api/v1/relays/${relay.id}`, {
      status: 412,
      body: { statusCode: 412, error: 'Precondition Failed', message: 'relay f0e1d2c3 is at revision 4, not 3' },
    });
    const result = await cli(['set', 'feed-a', '--ttl', '16']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'mcrctl: 412 Precondition Failed: relay f0e1d2c3 is at revision 4, not 3\n',
    });
  });
});

describe('import --dry-run', () => {
  it('asks for the plan and prints one line per relay with each change', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcrctl-dry-'));
    const file = join(dir, 'rules.json5');
    writeFileSync(file, '{ rules: [] }');
    service.on('POST /api/v1/import?mode=replace&dryRun=true', {
      status: 200,
      body: {
        dryRun: true,
        created: [{ name: 'feed-c' }],
        replaced: [{ id: 'f0e1d2c3', name: 'feed-a', changes: ['outputs[0].port: 6000 -> 6001'] }],
        deleted: [{ id: 'a1b2', name: 'feed-b' }],
        unchanged: [{ id: 'c3d4', name: 'feed-d' }],
      },
    });
    const result = await cli(['import', '--replace', '--dry-run', file]);
    expect(result).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'dry run: nothing was changed; this import would:',
        '  create     feed-c',
        '  replace    feed-a (f0e1d2c3)',
        '             outputs[0].port: 6000 -> 6001',
        '  delete     feed-b (a1b2)',
        '  unchanged  feed-d (c3d4)',
        '',
      ].join('\n'),
    });
  });
});

describe('--version, completion, 401', () => {
  it('--version prints the package version and the Node.js running it, without a service', async () => {
    const result = await cli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^mcrctl \d+\.\d+\.\d+ \(commit \S+, node v\d+/);
    expect(service.requests).toEqual([]);
  });

  it('completion scripts are made from the command table; an unknown shell is a usage error', async () => {
    const bash = await cli(['completion', 'bash']);
    expect(bash.stdout).toContain('complete -F _mcrctl mcrctl');
    expect(bash.stdout).toMatch(/set\) words='--name --in --source --any-source --out --ttl --dscp /);
    const zsh = await cli(['completion', 'zsh']);
    expect(zsh.stdout).toMatch(/^#compdef mcrctl\n/);
    expect(zsh.stdout).toContain("'enable:Start forwarding a disabled relay'");
    const fish = await cli(['completion', 'fish']);
    expect(fish.code).toBe(2);
    expect(fish.stderr).toContain("completion: shell must be bash or zsh, got 'fish'");
  });

  it.each([
    [{}, 'pass it with --token TOKEN or the environment variable MCR_TOKEN'],
    [{ MCR_TOKEN: 'wrong' }, 'the token given (--token or $MCR_TOKEN) was refused'],
  ])('a 401 says how to pass the token (%j)', async (env, hint) => {
    service.on('GET /api/v1/relays', {
      status: 401,
      body: { statusCode: 401, error: 'Unauthorized', message: 'a bearer token is required' },
    });
    const result = await cli(['list'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mcrctl: 401 Unauthorized: a bearer token is required\n');
    expect(result.stderr).toContain(hint);
  });
});
