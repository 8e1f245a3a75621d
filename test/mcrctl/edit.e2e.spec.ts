// Changing relays in place, end to end: the built mcrctl against the real built mcrd (file store,
// a write token). enable/disable/set go through PATCH and the relay the service then holds is
// checked; PATCH over HTTP honours If-Match; names are found with ?name= and a 404 for a name says
// which id it has; import --dry-run leaves the store file byte-identical and a re-import keeps the
// ids; --version; bash and zsh completion from the generated scripts; the 401 advice.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Relay } from '@mcr/model';
import { freeLoopbackPort, MCRCTL_MAIN, mcrctl, McrdProcess } from './harness';

const TOKEN = 'edit-e2e-token';
const AUTH = { MCR_TOKEN: TOKEN };

let dir: string;
let storePath: string;
let url: string;
let mcrd: McrdProcess;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mcrctl-edit-e2e-'));
  storePath = join(dir, 'relays.json');
  const port = await freeLoopbackPort();
  url = `http://127.0.0.1:${port}`;
  mcrd = new McrdProcess({ port, storePath, env: { MCR_API_TOKEN: TOKEN } });
  await mcrd.start();
});

afterAll(async () => {
  await mcrd?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function ok(args: string[]): Promise<string> {
  const result = await mcrctl(url, args, AUTH);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  return result.stdout;
}

async function relayNamed(name: string): Promise<Relay> {
  const relays = JSON.parse(await ok(['list', '--json'])) as Relay[];
  const relay = relays.find((r) => r.name === name);
  if (relay === undefined) throw new Error(`no relay ${name} in ${JSON.stringify(relays)}`);
  return relay;
}

function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  return fetch(`${url}${path}`, {
    method,
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/merge-patch+json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

describe('editing relays with mcrctl and PATCH', () => {
  let relay: Relay;

  beforeAll(async () => {
    await ok([
      'add',
      '--name',
      'c1',
      '--in',
      'lo:127.0.0.1:43000',
      '--out',
      'lo:127.0.0.1:43001',
      '--out',
      'lo:127.0.0.1:43002:ttl=4',
    ]);
    relay = await relayNamed('c1');
  });

  it('disable and enable change only `enabled`; the node stops and resumes the relay', async () => {
    expect(await ok(['disable', 'c1'])).toBe(`disabled relay c1 (${relay.id})\n`);
    expect(await relayNamed('c1')).toMatchObject({ enabled: false, outputs: relay.outputs, input: relay.input });
    expect(await ok(['list'])).toMatch(new RegExp(`${relay.id}\\s+c1\\s+disabled`));
    expect(await ok(['enable', relay.id])).toBe(`enabled relay c1 (${relay.id})\n`);
    expect(await ok(['list'])).toMatch(new RegExp(`${relay.id}\\s+c1\\s+forwarding`));
  });

  it('set --ttl rewrites every output; set --in keeps the rest; the id never changes', async () => {
    await ok(['set', 'c1', '--ttl', '16', '--dscp', '46']);
    const retuned = await relayNamed('c1');
    expect(retuned.outputs.map((o) => [o.port, o.ttl, o.dscp])).toEqual([
      [43001, 16, 46],
      [43002, 16, 46],
    ]);
    const moved = JSON.parse(
      await ok(['set', 'c1', '--in', 'lo:127.0.0.1:43100', '--name', 'c1-moved', '--json']),
    ) as Relay;
    expect(moved).toMatchObject({ id: relay.id, name: 'c1-moved', input: { port: 43100 }, outputs: retuned.outputs });
    await ok(['set', relay.id, '--name', 'c1']);
  });

  it('set with a bad value is a usage error; a relay the service refuses is exit 1 naming the field', async () => {
    const before = readFileSync(storePath, 'utf8');
    const usage = await mcrctl(url, ['set', 'c1', '--ttl', '0'], AUTH);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("--ttl '0': ttl must be");
    const refused = await mcrctl(url, ['set', 'c1', '--out', 'lo:127.0.0.1:43100'], AUTH);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/422 Unprocessable Entity: .*outputs\[0\]/);
    expect(readFileSync(storePath, 'utf8')).toBe(before);
  });

  it('PATCH honours If-Match (412 when stale, nothing changes) and answers the new ETag', async () => {
    const current = await relayNamed('c1');
    const before = readFileSync(storePath, 'utf8');
    const stale = await api('PATCH', `/api/v1/relays/${relay.id}`, { enabled: false }, { 'if-match': '"1"' });
    expect(stale.status).toBe(412);
    expect(((await stale.json()) as { message: string }).message).toContain(
      `is at revision ${current.revision}, not 1`,
    );
    expect(readFileSync(storePath, 'utf8')).toBe(before);
    const fresh = await api(
      'PATCH',
      `/api/v1/relays/${relay.id}`,
      { enabled: true },
      { 'if-match': `"${current.revision}"` },
    );
    expect(fresh.status).toBe(200);
    const body = (await fresh.json()) as Relay;
    expect(fresh.headers.get('etag')).toBe(`"${body.revision}"`);
    expect(body.revision).toBeGreaterThan(current.revision);
  });

  it('?name= finds a relay by name; a 404 for a name says which id the relay has', async () => {
    const byName = await api('GET', '/api/v1/relays?name=c1');
    expect(((await byName.json()) as Relay[]).map((r) => r.id)).toEqual([relay.id]);
    const missing = await api('GET', '/api/v1/relays/c1');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain(
      `no relay has the id 'c1'; a relay named 'c1' exists with the id '${relay.id}'`,
    );
  });
});

describe('import --dry-run and ids across re-imports', () => {
  it('prints the plan and leaves the store file byte-identical; the real import keeps ids', async () => {
    const exported = join(dir, 'export.json');
    expect(await mcrctl(url, ['export', '-o', exported], AUTH)).toMatchObject({ code: 0 });
    const ids = (JSON.parse(await ok(['list', '--json'])) as Relay[]).map((r) => r.id).sort();
    const changed = readFileSync(exported, 'utf8').replace('"port": 43001', '"port": 43011');
    const file = join(dir, 'changed.json');
    writeFileSync(file, changed);
    const before = readFileSync(storePath, 'utf8');
    const plan = await ok(['import', '--replace', '--dry-run', file]);
    expect(plan).toContain('dry run: nothing was changed; this import would:');
    expect(plan).toMatch(/ {2}replace {4}c1 \(.+\)\n {13}outputs\[0\]\.port: 43001 -> 43011\n/);
    expect(readFileSync(storePath, 'utf8')).toBe(before);
    expect(await ok(['import', '--replace', file])).toMatch(/replaced:\s+1 \(c1\)/);
    expect((JSON.parse(await ok(['list', '--json'])) as Relay[]).map((r) => r.id).sort()).toEqual(ids);
  });
});

describe('the command line itself', () => {
  it('--version names the package version and the commit of the build', async () => {
    const version = await mcrctl(url, ['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout).toMatch(/^mcrctl 0\.\d+\.\d+ \(commit [0-9a-f]{12}(-dirty)?, node v\d+/);
  });

  it('a 401 (a write without the token) says how to pass it', async () => {
    const result = await mcrctl(url, ['disable', 'c1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('401 Unauthorized');
    expect(result.stderr).toContain('--token TOKEN or the environment variable MCR_TOKEN');
  });

  /** `mcrctl` on PATH as a shell function would see it: a wrapper script in the temp dir. */
  function shellEnv(): NodeJS.ProcessEnv {
    const bin = join(dir, 'bin');
    spawnSync('mkdir', ['-p', bin]);
    writeFileSync(join(bin, 'mcrctl'), `#!/bin/sh\nexec "${process.execPath}" "${MCRCTL_MAIN}" "$@"\n`, {
      mode: 0o755,
    });
    // The relay-name completion runs `node` itself (mcrctl's runtime) and asks the service at MCR_URL.
    return {
      PATH: `${bin}:${dirname(process.execPath)}:${process.env.PATH ?? '/usr/bin:/bin'}`,
      HOME: dir,
      MCR_URL: url,
    };
  }

  it("bash completes commands, a command's options, fixed words and relay names from the generated script", () => {
    const script = [
      'source <(mcrctl completion bash)',
      'complete_line() { COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _mcrctl; echo "${COMPREPLY[*]}"; }',
      'complete_line mcrctl en',
      'complete_line mcrctl --url http://x set c1 --an',
      'complete_line mcrctl maintenance o',
      'complete_line mcrctl import --dry-r',
      'complete_line mcrctl get c',
    ].join('\n');
    const result = spawnSync('bash', ['-c', script], { env: shellEnv(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.stdout.split('\n')).toEqual([
      'enable',
      '--any-source --any-node --analyze',
      'on off',
      '--dry-run',
      'c1',
      '',
    ]);
  });

  it('zsh completes the same from its script (compadd and _describe recorded)', () => {
    const script = [
      'compdef() { :; }',
      'source <(mcrctl completion zsh)',
      'compadd() { [[ $1 == -- ]] && shift; print -r -- "compadd $*"; }',
      '_describe() { print -r -- "describe ${(P)4}"; }',
      'words=(mcrctl di); CURRENT=2; _mcrctl',
      'words=(mcrctl set c1 --t); CURRENT=4; _mcrctl',
      "words=(mcrctl enable ''); CURRENT=3; _mcrctl",
    ].join('\n');
    const result = spawnSync('zsh', ['-f', '-c', script], { env: shellEnv(), encoding: 'utf8' });
    expect(result.stderr).toBe('');
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^describe list:List all relays.* disable:Stop forwarding a relay and keep it stored /);
    expect(lines[1]).toMatch(/^compadd --url --socket --token /);
    expect(lines[2]).toMatch(
      /^compadd --name --in --source --any-source --out --ttl --dscp --preferred-node --any-node --analyze --url /,
    );
    expect(lines[3]).toMatch(/^compadd --url --socket --token /);
    expect(lines[4]).toBe('compadd c1');
  });
});
