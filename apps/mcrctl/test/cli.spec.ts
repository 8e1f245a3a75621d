// runCli against a scripted loopback service: what each command sends, what it prints, and the
// exit code for success (0), API errors and unreachable services (1) and usage errors (2).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../src/main';
import { FakeService } from './fake-service';

const relay = {
  id: 'f0e1d2c3',
  name: 'feed-a',
  enabled: true,
  input: { interface: 'lo', group: '127.0.0.1', port: 41000 },
  outputs: [{ interface: 'lo', group: '127.0.0.1', port: 41001, ttl: 1 }],
  revision: 3,
};

let service: FakeService;
let url: string;

beforeEach(async () => {
  service = new FakeService();
  url = await service.start();
});
afterEach(() => service.stop());

/** `interruptAfterOutput`: Ctrl-C as soon as the command has written to stdout. */
async function cli(argv: string[], options: { env?: NodeJS.ProcessEnv; interruptAfterOutput?: boolean } = {}) {
  let stdout = '';
  let stderr = '';
  const interrupt = new AbortController();
  const code = await runCli(argv, {
    env: { MCR_URL: url, ...options.env },
    out: {
      write: (text: string) => {
        stdout += text;
        if (options.interruptAfterOutput) interrupt.abort();
      },
    },
    err: { write: (text: string) => (stderr += text) },
    interactive: false,
    signal: interrupt.signal,
  });
  return { code, stdout, stderr };
}

describe('mcrctl against a scripted service', () => {
  it('list prints a table, and --json the API array unchanged', async () => {
    service.on('GET /api/v1/relays', { status: 200, body: [relay] });
    const table = await cli(['list']);
    expect(table).toMatchObject({ code: 0, stderr: '' });
    expect(table.stdout.split('\n')[0]).toMatch(/^ID\s+NAME\s+STATE\s+INGRESS\s+OUTPUTS\s+REV$/);
    expect(table.stdout).toContain('f0e1d2c3  feed-a  enabled  lo:127.0.0.1:41000  lo:127.0.0.1:41001    3');
    const json = await cli(['list', '--json']);
    expect(JSON.parse(json.stdout)).toEqual([relay]);
  });

  it('get falls back from id to name, and says neither matched with exit 1', async () => {
    service.on('GET /api/v1/relays?name=feed-a', { status: 200, body: [relay] });
    service.on('GET /api/v1/relays?name=nope', { status: 200, body: [] });
    const byName = await cli(['get', 'feed-a', '--json']);
    expect(byName.code).toBe(0);
    expect(JSON.parse(byName.stdout)).toEqual(relay);
    const missing = await cli(['get', 'nope']);
    expect(missing).toEqual({
      code: 1,
      stdout: '',
      stderr: "mcrctl: 404 Not Found: no relay has the id or name 'nope'\n",
    });
  });

  it('add posts the spec built from the flags, with the bearer token', async () => {
    service.on('POST /api/v1/relays', (request) => ({
      status: 201,
      body: { ...relay, ...JSON.parse(request.body), id: 'new-id', revision: 9 },
    }));
    const result = await cli(
      [
        'add',
        '--name',
        'feed-b',
        '--in',
        'lo:127.0.0.1:42000',
        '--out',
        'lo:127.0.0.1:42001:ttl=inherit:dscp=46',
        '--disabled',
      ],
      { env: { MCR_TOKEN: 's3cret' } },
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^created relay feed-b \(new-id\)\n/);
    const [request] = service.requests;
    expect(request.headers.authorization).toBe('Bearer s3cret');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      name: 'feed-b',
      enabled: false,
      input: { interface: 'lo', group: '127.0.0.1', port: 42000 },
      outputs: [{ interface: 'lo', group: '127.0.0.1', port: 42001, ttl: 'inherit', dscp: 46 }],
    });
  });

  it('prints every validation message of a 400, one per line, and exits 1', async () => {
    const messages = ['outputs[0].port must be an integer 1..65535, got 70000', "name must not be empty, got ''"];
    service.on('POST /api/v1/relays', {
      status: 400,
      body: { statusCode: 400, error: 'Bad Request', message: messages },
    });
    const result = await cli(['add', '--name', 'x', '--in', 'lo:127.0.0.1:1', '--out', 'lo:127.0.0.1:2']);
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: `mcrctl: 400 Bad Request:\n  - ${messages[0]}\n  - ${messages[1]}\n`,
    });
  });

  it('reports a non-JSON error answer (a proxy page) with its status', async () => {
    service.on('GET /api/v1/relays', { status: 502, text: 'upstream down' });
    expect(await cli(['list'])).toMatchObject({ code: 1, stderr: 'mcrctl: 502 Bad Gateway: upstream down\n' });
  });

  it('a usage error exits 2 and never calls the service', async () => {
    const result = await cli(['add', '--name', 'x', '--in', 'lo:127.0.0.1:1', '--out', 'lo:127.0.0.1:99999']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "mcrctl: --out 'lo:127.0.0.1:99999': port must be an integer 1..65535, got '99999'\nRun 'mcrctl add --help' for usage.\n",
    );
    expect(service.requests).toHaveLength(0);
  });

  it('an unreachable service exits 1 naming the URL and the reason', async () => {
    await service.stop();
    const result = await cli(['list']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `mcrctl: service unreachable at ${url}: connect ECONNREFUSED ${url.slice('http://'.length)}\n`,
    );
  });

  it('rm resolves a name and deletes by id', async () => {
    service
      .on('GET /api/v1/relays?name=feed-a', { status: 200, body: [relay] })
      .on(`DELETE /api/v1/relays/${relay.id}`, { status: 204 });
    const result = await cli(['rm', 'feed-a']);
    expect(result).toEqual({ code: 0, stdout: 'deleted relay feed-a (f0e1d2c3)\n', stderr: '' });
    expect(service.requests.map((r) => `${r.method} ${r.url}`)).toEqual([
      'GET /api/v1/relays/feed-a',
      'GET /api/v1/relays?name=feed-a',
      'DELETE /api/v1/relays/f0e1d2c3',
    ]);
  });

  it('import posts the file text verbatim (replace mode) and prints what changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcrctl-'));
    const file = join(dir, 'rules.json5');
    const text =
      "// the lab feeds\n{ rules: [ { name: 'feed-a', input: { interface: 'lo', group: '127.0.0.1', port: 41000 }, outputs: [] }, ] }\n";
    writeFileSync(file, text);
    service.on('POST /api/v1/import?mode=replace', {
      status: 200,
      body: {
        created: [{ id: '1', name: 'feed-a' }],
        replaced: [],
        deleted: [{ id: '2', name: 'old' }],
        unchanged: [],
      },
    });
    const result = await cli(['import', file, '--replace']);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(
      'import applied\ncreated:   1 (feed-a)\nreplaced:  0\ndeleted:   1 (old)\nunchanged: 0\n',
    );
    expect(service.requests[0].body).toBe(text);
    expect(service.requests[0].headers['content-type']).toBe('application/json5');
  });

  it('import refuses a file that is not JSON5 without calling the service', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcrctl-'));
    const file = join(dir, 'bad.json5');
    writeFileSync(file, '{ rules: [ }');
    const result = await cli(['import', file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`^mcrctl: rules file '${file}' is not valid JSON5: .*1:12`));
    expect(service.requests).toHaveLength(0);
    const missing = await cli(['import', join(dir, 'absent.json5')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("cannot read rules file '");
  });

  it('export writes the rules file to -o, newline-terminated', async () => {
    service.on('GET /api/v1/export', { status: 200, text: '{ "rules": [] }' });
    const file = join(mkdtempSync(join(tmpdir(), 'mcrctl-')), 'out.json5');
    const result = await cli(['export', '-o', file]);
    expect(result).toEqual({ code: 0, stdout: '', stderr: `exported to ${file}\n` });
    expect(readFileSync(file, 'utf8')).toBe('{ "rules": [] }\n');
  });

  it('cluster prints the node, its role, the leader and the members with maintenance, live inputs and last seen', async () => {
    const seconds = (s: number) => new Date(Date.now() - s * 1000).toISOString();
    service.on('GET /api/v1/cluster', {
      status: 200,
      body: {
        nodeId: 'relay-a',
        role: 'active',
        leader: 'relay-a',
        members: [
          { nodeId: 'relay-a', role: 'active', maintenance: false, lastSeen: seconds(0), liveInputs: 12 },
          { nodeId: 'relay-b', role: 'standby', maintenance: true, lastSeen: seconds(125), liveInputs: 0 },
          'relay-c',
        ],
      },
    });
    const result = await cli(['cluster']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'node:   relay-a\nrole:   active\nleader: relay-a\n\n' +
        'MEMBER   ROLE     LEADER  MAINTENANCE  LIVE INPUTS  LAST SEEN\n' +
        'relay-a  active   yes     off          12           0s ago\n' +
        'relay-b  standby          on           0            2m ago\n' +
        'relay-c  standby          -            -            -\n',
    );
  });

  it('membership prints the querier of each interface and the reported groups', async () => {
    service
      .on('GET /api/v1/querier', {
        status: 200,
        body: {
          enabled: true,
          active: true,
          timers: { queryIntervalMs: 125000, groupMembershipIntervalMs: 260000 },
          interfaces: [
            {
              interface: 'eth1',
              protocol: 'igmp',
              up: true,
              state: 'querier',
              version: 3,
              address: '10.0.1.1',
              otherQuerier: null,
              nextQueryInMs: 11500,
            },
            {
              interface: 'eth1',
              protocol: 'mld',
              up: true,
              state: 'non-querier',
              version: 2,
              address: 'fe80::1',
              otherQuerier: 'fe80::0:1',
              nextQueryInMs: null,
            },
          ],
        },
      })
      .on('GET /api/v1/membership', {
        status: 200,
        body: {
          enabled: true,
          interfaces: [
            {
              interface: 'eth1',
              protocol: 'igmp',
              groups: [
                {
                  group: '239.1.1.1',
                  mode: 'exclude',
                  expiresInMs: 250100,
                  compatibilityVersion: 2,
                  lastReporter: '10.0.1.20',
                  sources: [],
                  excludedSources: [],
                },
                {
                  group: '232.1.1.1',
                  mode: 'include',
                  expiresInMs: 9000,
                  compatibilityVersion: 3,
                  lastReporter: '10.0.1.21',
                  sources: [{ source: '10.9.0.1', expiresInMs: 9000 }],
                  excludedSources: [],
                },
              ],
            },
            { interface: 'eth1', protocol: 'mld', groups: [] },
          ],
        },
      });
    const result = await cli(['membership']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'INTERFACE  PROTOCOL  STATE        VERSION  ADDRESS   OTHER QUERIER  NEXT QUERY\n' +
        'eth1       igmp      querier      v3       10.0.1.1  -              12s\n' +
        'eth1       mld       non-querier  v2       fe80::1   fe80::0:1      -\n' +
        '\n' +
        'INTERFACE  PROTOCOL  GROUP      MODE     SOURCES   EXPIRES  VERSION  LAST REPORTER\n' +
        'eth1       igmp      239.1.1.1  exclude  any       251s     v2       10.0.1.20\n' +
        'eth1       igmp      232.1.1.1  include  10.9.0.1  9s       v3       10.0.1.21\n',
    );
  });

  it('membership says when the querier is off', async () => {
    service
      .on('GET /api/v1/querier', { status: 200, body: { enabled: false, active: false, timers: {}, interfaces: [] } })
      .on('GET /api/v1/membership', { status: 200, body: { enabled: false, interfaces: [] } });
    expect(await cli(['membership'])).toEqual({
      code: 0,
      stdout: 'querier off (MCR_QUERIER_INTERFACES is unset): no membership is tracked\n',
      stderr: '',
    });
  });

  it('cluster with relay placement prints how many relays each member owns and the owner of each relay', async () => {
    service.on('GET /api/v1/cluster', {
      status: 200,
      body: {
        nodeId: 'relay-a',
        role: 'active',
        leader: null,
        placement: 'relay',
        members: [
          {
            nodeId: 'relay-a',
            role: 'active',
            maintenance: false,
            lastSeen: new Date().toISOString(),
            liveInputs: 2,
            owns: 1,
          },
          {
            nodeId: 'relay-b',
            role: 'standby',
            maintenance: true,
            lastSeen: new Date().toISOString(),
            liveInputs: 2,
            owns: 0,
          },
        ],
        owners: { 'feed-a': 'relay-a', 'feed-b': 'relay-a' },
      },
    });
    const result = await cli(['cluster']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toBe(
      'node:      relay-a\nrole:      active\nplacement: relay (each relay forwarded by its owner)\n\n' +
        'MEMBER   ROLE     OWNS  MAINTENANCE  LIVE INPUTS  LAST SEEN\n' +
        'relay-a  active   1     off          2            0s ago\n' +
        'relay-b  standby  0     on           2            0s ago\n\n' +
        'RELAY   OWNER\n' +
        'feed-a  relay-a\n' +
        'feed-b  relay-a\n',
    );
  });

  it("list shows the node's state of each relay, from its stats", async () => {
    const stats = { nodeId: 'n1', role: 'active', relays: [{ id: relay.id, name: relay.name, state: 'waiting' }] };
    service
      .on('GET /api/v1/relays', { status: 200, body: [relay] })
      .on('GET /api/v1/stats', { status: 200, body: stats });
    const result = await cli(['list']);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toContain('f0e1d2c3  feed-a  waiting  lo:127.0.0.1:41000');
  });

  it('list and get name the reason of a relay this node does not forward', async () => {
    const reason = "outputs[0].interface: no such device 'eth9'";
    const status = { id: relay.id, name: relay.name, state: 'failed', reason };
    service
      .on('GET /api/v1/relays', { status: 200, body: [relay] })
      .on('GET /api/v1/relays?name=feed-a', { status: 200, body: [relay] })
      .on(`GET /api/v1/relays/${relay.id}`, { status: 200, body: relay })
      .on('GET /api/v1/stats', { status: 200, body: { nodeId: 'n1', role: 'active', relays: [status] } })
      .on(`GET /api/v1/relays/${relay.id}/stats`, { status: 200, body: status });
    const list = await cli(['list']);
    expect(list).toMatchObject({ code: 0, stderr: '' });
    expect(list.stdout).toContain('f0e1d2c3  feed-a  failed  lo:127.0.0.1:41000');
    expect(list.stdout).toContain(`\nfeed-a: failed: ${reason}\n`);
    const get = await cli(['get', 'feed-a']);
    expect(get).toMatchObject({ code: 0, stderr: '' });
    expect(get.stdout).toMatch(/^state: +failed$/m);
    expect(get.stdout).toContain(`reason:   ${reason}`);
  });

  it('diag prints each finding with what to change, and counts the healthy relays', async () => {
    const finding = {
      code: 'rp-filter-strict',
      severity: 'error',
      message: 'strict reverse-path filtering drops datagrams from SSM source 10.0.0.5',
      action: 'set net.ipv4.conf.all.rp_filter=2',
    };
    const diagnosed = { id: relay.id, name: relay.name, state: 'forwarding', findings: [finding] };
    const healthy = { id: 'a1', name: 'feed-b', state: 'forwarding', findings: [] };
    service
      .on('GET /api/v1/diagnostics', { status: 200, body: { nodeId: 'n1', relays: [healthy, diagnosed] } })
      .on(`GET /api/v1/relays/${relay.id}`, { status: 200, body: relay })
      .on(`GET /api/v1/relays/${relay.id}/diagnostics`, { status: 200, body: diagnosed });
    const all = await cli(['diag']);
    expect(all).toEqual({
      code: 3, // a finding to act on: scripts and probes see it without reading the text
      stderr: '',
      stdout:
        'feed-a (forwarding)\n' +
        '  error  rp-filter-strict: strict reverse-path filtering drops datagrams from SSM source 10.0.0.5\n' +
        '         -> set net.ipv4.conf.all.rp_filter=2\n' +
        '\n1 of 2 relays without findings\n',
    });
    const one = await cli(['diag', relay.id, '--json']);
    expect(JSON.parse(one.stdout)).toEqual(diagnosed);
    expect(one.code).toBe(3);
  });

  it('diag exits 0 when nothing needs action: no findings, or only a relay disabled on purpose', async () => {
    const disabled = {
      id: 'd1',
      name: 'feed-off',
      state: 'disabled',
      findings: [{ code: 'relay-disabled', severity: 'info', message: 'the relay is disabled', action: 'enable it' }],
    };
    const healthy = { id: 'a1', name: 'feed-b', state: 'forwarding', findings: [] };
    service.on('GET /api/v1/diagnostics', { status: 200, body: { nodeId: 'n1', relays: [healthy, disabled] } });
    expect((await cli(['diag'])).code).toBe(0);
  });

  it('switchover posts the target node and prints the accepted message', async () => {
    service.on('POST /api/v1/cluster/switchover', {
      status: 202,
      body: { message: 'switchover to relay-b requested' },
    });
    const result = await cli(['switchover', 'relay-b'], { env: { MCR_TOKEN: 's3cret' } });
    expect(result).toEqual({
      code: 0,
      stdout: "switchover to relay-b requested; 'mcrctl cluster' shows the new active node\n",
      stderr: '',
    });
    expect(service.requests.map((r) => [r.method, r.url, JSON.parse(r.body), r.headers.authorization])).toEqual([
      ['POST', '/api/v1/cluster/switchover', { to: 'relay-b' }, 'Bearer s3cret'],
    ]);
    const json = await cli(['switchover', 'relay-b', '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ message: 'switchover to relay-b requested' });
  });

  it.each([
    [404, 'Not Found', "to 'relay-x' is not a member of cluster default"],
    [409, 'Conflict', "to 'relay-b' is already the active node"],
    [400, 'Bad Request', 'to must be a node id (1..63 letters, digits, ".", "_" or "-")'],
  ])('switchover reports a %i with the API message and exits 1', async (status, error, message) => {
    service.on('POST /api/v1/cluster/switchover', { status, body: { statusCode: status, error, message } });
    expect(await cli(['switchover', 'relay-x'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mcrctl: ${status} ${error}: ${message}\n`,
    });
  });

  it('maintenance on|off posts enabled true|false and prints the accepted message', async () => {
    service.on('POST /api/v1/cluster/maintenance', (request) => ({
      status: 202,
      body: { message: `maintenance mode ${JSON.parse(request.body).enabled ? 'on' : 'off'}` },
    }));
    expect(await cli(['maintenance', 'on'])).toEqual({ code: 0, stdout: 'maintenance mode on\n', stderr: '' });
    expect(await cli(['maintenance', 'off'])).toEqual({ code: 0, stdout: 'maintenance mode off\n', stderr: '' });
    expect(service.requests.map((r) => JSON.parse(r.body))).toEqual([{ enabled: true }, { enabled: false }]);
  });

  it('maintenance reports a 409 with the API message and exits 1', async () => {
    const message = 'no standby node is available to take over; maintenance would stop forwarding';
    service.on('POST /api/v1/cluster/maintenance', {
      status: 409,
      body: { statusCode: 409, error: 'Conflict', message },
    });
    expect(await cli(['maintenance', 'on'])).toEqual({
      code: 1,
      stdout: '',
      stderr: `mcrctl: 409 Conflict: ${message}\n`,
    });
  });

  it.each([
    [
      ['maintenance', 'maybe'],
      "mcrctl: maintenance: mode must be 'on' or 'off', got 'maybe'\nRun 'mcrctl maintenance --help' for usage.\n",
    ],
    [['maintenance'], "mcrctl: maintenance: missing on|off\nRun 'mcrctl maintenance --help' for usage.\n"],
    [['switchover'], "mcrctl: switchover: missing <node>\nRun 'mcrctl switchover --help' for usage.\n"],
    [
      ['switchover', 'a', 'b'],
      "mcrctl: switchover: unexpected argument 'b'\nRun 'mcrctl switchover --help' for usage.\n",
    ],
  ])('%j is a usage error (exit 2) that never calls the service', async (argv, stderr) => {
    expect(await cli(argv)).toEqual({ code: 2, stdout: '', stderr });
    expect(service.requests).toHaveLength(0);
  });

  it('switchover and maintenance have help pages with examples', async () => {
    const switchover = await cli(['switchover', '--help']);
    expect(switchover.code).toBe(0);
    expect(switchover.stdout).toMatch(/^usage: mcrctl switchover <node> \[global options\]\n/);
    expect(switchover.stdout).toContain('examples:\n  mcrctl switchover relay-b');
    const maintenance = await cli(['help', 'maintenance']);
    expect(maintenance.stdout).toMatch(/^usage: mcrctl maintenance on\|off \[global options\]\n/);
    expect(maintenance.stdout).toContain('examples:\n  mcrctl maintenance on ');
    const main = await cli(['--help']);
    expect(main.stdout).toMatch(/switchover\s+Hand the active role over to <node>/);
    expect(main.stdout).toMatch(/maintenance\s+Put this node in or out of maintenance/);
    expect(service.requests).toHaveLength(0);
  });

  it('stats --watch waits out a 503, then draws, and ends cleanly when interrupted', async () => {
    let calls = 0;
    service.on('GET /api/v1/stats', () => {
      calls += 1;
      if (calls === 1)
        return { status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: 'starting' } };
      return { status: 200, body: { nodeId: 'n1', role: 'active', relays: [] } };
    });
    const result = await cli(['stats', '--watch'], { interruptAfterOutput: true });
    expect(calls).toBe(2);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe(
      `service at ${url} answered 503 Service Unavailable: starting (retrying)\nservice at ${url} is back\n`,
    );
    expect(result.stdout).toMatch(/node n1 \(active\).*\(Ctrl-C to stop\)\nno relays\n\n$/);
  });
});

describe('unreachable services', () => {
  it("explains fetch's refusal of a blocked port instead of a bare 'bad port'", async () => {
    let stderr = '';
    const code = await runCli(['list'], {
      env: { MCR_URL: 'http://127.0.0.1:6000' },
      out: { write: () => undefined },
      err: { write: (text: string) => (stderr += text) },
      interactive: false,
      signal: new AbortController().signal,
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      "mcrctl: service unreachable at http://127.0.0.1:6000: fetch refuses this port (a 'bad port' of the Fetch standard); serve the API on another port\n",
    );
  });
});
