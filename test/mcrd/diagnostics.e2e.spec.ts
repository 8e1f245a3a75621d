// Diagnostics end to end: each silent failure provoked for real in the relay namespace (strict
// rp_filter dropping streams whose senders are routed back through another interface, for an
// SSM source and for an any-source relay, with the kernel's count; an SSM source with
// no route, a unicast output whose next hop never answers ARP, a down input interface, a relay
// the engine refuses) is named by its code in GET .../diagnostics and in `mcrctl diag`. Then the
// time `mcrctl diag` takes with 1,000 relays, every one with an SSM source and a unicast output.
import { createRelayTopology, runGen, sleep, type Topology } from '../lib';
import { mcrctl } from '../mcrctl/harness';
import { McrdProcess } from './support/mcrd-process';

const auth = { Authorization: 'Bearer e2e-write' };

interface Finding {
  code: string;
  severity: string;
  message: string;
  action: string;
}

const relays = {
  strictRp: {
    name: 'strict-rp',
    input: { interface: 'in0', group: '232.1.1.1', port: 5000, sources: ['10.77.4.2'] },
    outputs: [{ interface: 'out0', group: '239.2.2.2', port: 6000 }],
  },
  unroutable: {
    name: 'unroutable-source',
    input: { interface: 'in0', group: '232.1.1.2', port: 5001, sources: ['198.51.100.7'] },
    outputs: [{ interface: 'out0', group: '239.2.2.3', port: 6001 }],
  },
  // Any-source: the senders are unknown, so the kernel's reverse-path drop count is the clue.
  asmStrictRp: {
    name: 'asm-strict-rp',
    input: { interface: 'in0', group: '239.1.1.9', port: 5009 },
    outputs: [{ interface: 'out0', group: '239.2.2.9', port: 6009 }],
  },
  deadNeighbour: {
    name: 'dead-neighbour',
    input: { interface: 'in0', group: '239.1.1.7', port: 5002 },
    outputs: [{ interface: 'out1', group: '10.77.3.99', port: 6002 }],
  },
  downInput: {
    name: 'down-input',
    input: { interface: 'dmy0', group: '239.1.1.8', port: 5003 },
    outputs: [{ interface: 'out0', group: '239.2.2.4', port: 6003 }],
  },
  // A unicast ingress must be an address of the host; the engine's bind refuses this one.
  refused: {
    name: 'refused',
    input: { interface: 'in0', group: '10.77.1.99', port: 5004 },
    outputs: [{ interface: 'out0', group: '239.2.2.5', port: 6004 }],
  },
};

describe('diagnostics (real mcrd, network namespaces)', () => {
  let topo: Topology;
  let mcrd: McrdProcess;

  beforeAll(async () => {
    topo = await createRelayTopology('diag');
    // An input interface that exists and stays down (a veth pair whose ends are never set up).
    await topo.relay.ip('link', 'add', 'dmy0', 'type', 'veth', 'peer', 'name', 'dmy1');
    mcrd = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress, env: { MCR_API_TOKEN: 'e2e-write' } });
    await mcrd.waitReady();
  });
  afterAll(async () => {
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });

  async function findingsOf(id: string): Promise<Finding[]> {
    const res = await mcrd.json('GET', `/api/v1/relays/${id}/diagnostics`);
    expect(res.status).toBe(200);
    return res.body.findings as Finding[];
  }

  it('names each provoked condition with its code, what is wrong and what to change', async () => {
    await topo.relay.sysctl('net.ipv4.conf.all.rp_filter', '1');
    await topo.relay.sysctl('net.ipv4.conf.in0.rp_filter', '1');
    const ids: Record<string, string> = {};
    for (const [key, body] of Object.entries(relays)) {
      const res = await mcrd.json('POST', '/api/v1/relays', body, auth);
      expect({ key, status: res.status }).toEqual({ key, status: 201 });
      ids[key] = res.body.id as string;
    }
    // Streams from senders whose route back leaves by in1: strict rp_filter on in0 drops them.
    await topo.gen.ip('addr', 'add', '10.77.4.50/32', 'dev', 'gen0');
    const fromIn1Side = (group: string, port: string, bind: string) =>
      runGen(topo.gen, ['--group', group, '--port', port, '--interface', 'gen0', '--bind', bind, '--count', '50']);
    await fromIn1Side('232.1.1.1', '5000', '10.77.4.2');
    await fromIn1Side('239.1.1.9', '5009', '10.77.4.50');
    const netstat = (await topo.relay.run('cat', ['/proc/net/netstat'])).stdout.split('\n');
    const names = netstat.find((line) => line.startsWith('TcpExt:'))?.split(/\s+/) ?? [];
    const values = netstat.filter((line) => line.startsWith('TcpExt:'))[1]?.split(/\s+/) ?? [];
    expect(Number(values[names.indexOf('IPReversePathFilter')])).toBeGreaterThanOrEqual(100);
    for (const key of ['strictRp', 'asmStrictRp']) {
      const stats = await mcrd.json('GET', `/api/v1/relays/${ids[key]}/stats`);
      expect({ key, state: stats.body.state, packetsIn: stats.body.packetsIn }).toEqual({
        key,
        state: 'forwarding', // what MCR says, while the kernel drops every datagram
        packetsIn: 0,
      });
    }
    expect(await findingsOf(ids.asmStrictRp)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'input-silent' }),
        expect.objectContaining({
          code: 'rp-filter-drops',
          message: expect.stringMatching(/effective 1.*dropped \d+ datagrams by reverse path \(IPReversePathFilter\)/),
        }),
      ]),
    );

    // The dead neighbour: datagrams go out to 10.77.3.99, which nobody answers on out1.
    await runGen(topo.gen, ['--group', '239.1.1.7', '--port', '5002', '--interface', 'gen0', '--count', '20']);
    await sleep(200);
    const sent = await mcrd.json('GET', `/api/v1/relays/${ids.deadNeighbour}/stats`);
    expect(sent.body.outputs[0].packets).toBe(20); // counted as sent: the failure the check exists for

    const strict = await findingsOf(ids.strictRp);
    expect(strict).toContainEqual(
      expect.objectContaining({
        code: 'rp-filter-strict',
        severity: 'error',
        message: expect.stringContaining('leaves by in1, not in0'),
        action: expect.stringContaining('net.ipv4.conf.in0.rp_filter=2'),
      }),
    );
    expect(await findingsOf(ids.unroutable)).toContainEqual(
      expect.objectContaining({ code: 'source-unroutable', message: expect.stringContaining('198.51.100.7') }),
    );
    expect(await findingsOf(ids.downInput)).toContainEqual(
      expect.objectContaining({ code: 'input-interface-down', action: 'bring it up: ip link set dmy0 up' }),
    );
    const refused = await mcrd.json('GET', `/api/v1/relays/${ids.refused}/diagnostics`);
    expect(refused.body).toMatchObject({ state: 'failed', reason: expect.stringContaining('10.77.1.99') });
    expect(refused.body.findings).toContainEqual(
      expect.objectContaining({ code: 'engine-refused', message: expect.stringContaining('10.77.1.99') }),
    );
    // ARP gives up after a few seconds: INCOMPLETE while it asks, FAILED once it stopped.
    const deadline = Date.now() + 10_000;
    let neighbour: Finding[] = [];
    while (Date.now() < deadline) {
      neighbour = (await findingsOf(ids.deadNeighbour)).filter((f) => f.code === 'output-neighbour-unreachable');
      if (neighbour.length > 0) break;
      await sleep(250);
    }
    expect(neighbour[0]?.message).toMatch(/outputs\[0\]: next hop 10\.77\.3\.99 on out1 is (FAILED|INCOMPLETE)/);

    const cli = await mcrctl(mcrd.baseUrl, ['diag']);
    expect(cli).toMatchObject({ code: 3, stderr: '' }); // 3: findings to act on
    for (const code of [
      'rp-filter-strict',
      'rp-filter-drops',
      'source-unroutable',
      'output-neighbour-unreachable',
      'input-interface-down',
      'engine-refused',
    ]) {
      expect(cli.stdout).toContain(`${code}:`);
    }
    // list and get show the refusal where operators look, not only stats.
    const list = await mcrctl(mcrd.baseUrl, ['list']);
    expect(list.stdout).toMatch(/^refused: failed: .*10\.77\.1\.99/m);
    const get = await mcrctl(mcrd.baseUrl, ['get', 'refused']);
    expect(get.stdout).toMatch(/^state: +failed$/m);
    expect(get.stdout).toMatch(/^reason: +.*10\.77\.1\.99/m);
    const one = await mcrctl(mcrd.baseUrl, ['diag', 'strict-rp']);
    expect(one.stdout).toMatch(/^strict-rp \((standby|forwarding)\)$/m);
    expect(one.stdout).toContain('rp-filter-strict: strict reverse-path filtering');
  });

  it('diagnoses 1,000 relays in one mcrctl diag', async () => {
    const rules = Array.from({ length: 1000 }, (_, i) => ({
      name: `bulk-${i}`,
      input: {
        interface: 'in0',
        group: `232.2.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        port: 7000,
        sources: [`10.200.${Math.floor(i / 250)}.${(i % 250) + 1}`],
      },
      outputs: [{ interface: 'out0', group: `10.77.2.${(i % 250) + 3}`, port: 8000 + (i % 1000) }],
    }));
    const imported = await mcrd.json('POST', '/api/v1/import', { rules }, auth);
    expect(imported.status).toBe(201);
    const requestStarted = Date.now();
    expect((await mcrd.json('GET', '/api/v1/diagnostics')).status).toBe(200);
    const requestMs = Date.now() - requestStarted;
    const started = Date.now();
    const cli = await mcrctl(mcrd.baseUrl, ['diag', '--json']);
    const elapsedMs = Date.now() - started;
    expect(cli.code).toBe(3); // every bulk relay's source is unroutable
    const body = JSON.parse(cli.stdout) as { relays: { name: string; findings: Finding[] }[] };
    expect(body.relays.length).toBeGreaterThanOrEqual(1000);
    const bulk = body.relays.find((r) => r.name === 'bulk-999');
    expect(bulk?.findings.map((f) => f.code)).toContain('source-unroutable');
    console.log(`${body.relays.length} relays: mcrctl diag ${elapsedMs} ms, GET /api/v1/diagnostics ${requestMs} ms`);
    expect(elapsedMs).toBeLessThan(10_000);
  });
});
