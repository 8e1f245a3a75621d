// mcrd end to end: the real service in a relay namespace forwards what it is told to over HTTP,
// refuses every bad request with the contract's status and leaves the store unchanged, counts
// what it forwards in /metrics, serves its OpenAPI document, and exits 0 on SIGTERM.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createRelayTopology, runGen, startSink, type Topology } from '../lib';
import { McrdProcess } from './support/mcrd-process';
import { relayBody } from './support/relays';

describe('mcrd (real process, network namespaces)', () => {
  let topo: Topology;
  let mcrd: McrdProcess;

  beforeAll(async () => {
    topo = await createRelayTopology('mcrd');
    mcrd = McrdProcess.start({ ns: topo.relay, address: topo.relayMgmtAddress, env: { MCR_API_TOKEN: 'e2e-write' } });
    await mcrd.waitReady();
  });
  afterAll(async () => {
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });

  const auth = { Authorization: 'Bearer e2e-write' };

  it('forwards traffic for a relay created over HTTP, and /metrics matches the sink', async () => {
    const sink = await startSink(topo.sink, [
      '--group',
      '239.2.2.2',
      '--port',
      '6000',
      '--interface',
      'sink0',
      '--idle-timeout',
      '1500',
    ]);
    const created = await mcrd.json('POST', '/api/v1/relays', relayBody('e2e-feed', 5000), auth);
    expect(created.status).toBe(201);
    const gen = await runGen(topo.gen, [
      '--group',
      '239.1.1.1',
      '--port',
      '5000',
      '--interface',
      'gen0',
      '--rate',
      '20000',
      '--count',
      '20000',
    ]);
    const report = await sink.result();
    expect(gen.sent).toBe(20000);
    expect(report.received).toBe(20000);
    expect(report.duplicates).toBe(0);

    const metrics = await (await mcrd.fetch('/metrics')).text();
    const id = created.body.id as string;
    const value = (name: string, extra = '') =>
      Number(new RegExp(`^${name}\\{relay="${id}",name="e2e-feed"${extra}\\} (\\d+)`, 'm').exec(metrics)?.[1]);
    expect(value('mcr_relay_packets_received_total')).toBe(20000);
    const output = ',output="0",interface="out0",destination="239\\.2\\.2\\.2:6000"';
    expect(value('mcr_relay_packets_forwarded_total', output)).toBe(report.received);
    expect(value('mcr_relay_bytes_forwarded_total', output)).toBe(report.bytes);
    const stats = await mcrd.json('GET', `/api/v1/relays/${id}/stats`);
    expect(stats.body).toMatchObject({ state: 'forwarding', packetsIn: 20000, outputs: [{ packets: 20000 }] });
  });

  it('answers every error status of the contract and leaves the store unchanged', async () => {
    const first = await mcrd.json('POST', '/api/v1/relays', relayBody('e2e-errors', 5100), auth);
    expect(first.status).toBe(201);
    const storeBefore = readFileSync(mcrd.storePath, 'utf8');
    const listBefore = (await mcrd.json('GET', '/api/v1/relays')).body;
    const cases: [string, string, unknown, Record<string, string>, number, RegExp][] = [
      ['POST', '/api/v1/relays', relayBody('no-token', 5200), {}, 401, /Bearer/],
      [
        'POST',
        '/api/v1/relays',
        { ...relayBody('bad-port', 5200), outputs: [{ interface: 'out0', group: '239.2.2.2', port: 70000 }] },
        auth,
        400,
        /outputs\[0\]\.port.*70000/,
      ],
      [
        'POST',
        '/api/v1/relays',
        relayBody('bad-if', 5200, [{ interface: 'eth99', group: '239.2.2.2', port: 6200 }]),
        auth,
        400,
        /outputs\[0\]\.interface 'eth99' does not exist/,
      ],
      ['POST', '/api/v1/relays', relayBody('e2e-errors', 5201), auth, 409, /e2e-errors/],
      ['POST', '/api/v1/relays', relayBody('same-ingress', 5100), auth, 409, /./],
      [
        'POST',
        '/api/v1/relays',
        relayBody('loop', 5202, [{ interface: 'in0', group: '239.1.1.1', port: 5100 }]),
        auth,
        422,
        /would loop/,
      ],
      ['POST', '/api/v1/relays', { ...relayBody('huge', 5203), pad: 'x'.repeat(5 * 1024 * 1024) }, auth, 413, /limit/],
      ['GET', '/api/v1/relays/does-not-exist', undefined, {}, 404, /does-not-exist/],
      ['DELETE', '/api/v1/relays/..%2F..%2Fetc', undefined, auth, 404, /not found/],
      [
        'PUT',
        `/api/v1/relays/${first.body.id}`,
        { ...relayBody('e2e-errors', 5100), revision: first.body.revision + 7 },
        auth,
        412,
        /revision/,
      ],
      [
        'PUT',
        `/api/v1/relays/${first.body.id}`,
        relayBody('e2e-errors', 5100),
        { ...auth, 'If-Match': '"12345"' },
        412,
        /revision/,
      ],
    ];
    for (const [method, route, body, headers, status, message] of cases) {
      const res = await mcrd.json(method, route, body, headers);
      expect({ route, method, status: res.status }).toEqual({ route, method, status });
      expect(res.body).toMatchObject({ statusCode: status, error: expect.any(String) });
      expect(([] as string[]).concat(res.body.message).join('\n')).toMatch(message);
    }
    expect((await mcrd.json('GET', '/api/v1/relays')).body).toEqual(listBefore);
    expect(readFileSync(mcrd.storePath, 'utf8')).toBe(storeBefore);
  });

  it('merges the two legs of a redundant relay created over HTTP, and refuses bad B legs by field', async () => {
    const legB = { interface: 'in1', group: '239.1.2.1', port: 5300 };
    const body = { ...relayBody('e2e-ab', 5300), redundancy: { input: legB, mode: 'merge', key: 'rtp' } };
    const created = await mcrd.json('POST', '/api/v1/relays', body, auth);
    expect(created.status).toBe(201);
    expect(created.body.redundancy).toEqual({
      input: legB,
      mode: 'merge',
      key: 'rtp',
      windowMs: 50,
      lossMs: 100,
      revertMs: 0,
    });

    const storeBefore = readFileSync(mcrd.storePath, 'utf8');
    const refusals: [unknown, number, RegExp][] = [
      [
        { ...relayBody('ab-window', 5301), redundancy: { input: { ...legB, port: 5301 }, mode: 'merge', windowMs: 0 } },
        400,
        /^redundancy\.windowMs/,
      ],
      [
        { ...relayBody('ab-same', 5302), redundancy: { input: relayBody('x', 5302).input, mode: 'merge' } },
        422,
        /^redundancy\.input .* must be a different ingress than input/,
      ],
      [
        { ...relayBody('ab-taken', 5303), redundancy: { input: legB, mode: 'failover' } },
        409,
        /^redundancy\.input: ingress in1 239\.1\.2\.1:5300 is already used by relay 'e2e-ab'/,
      ],
    ];
    for (const [refused, status, message] of refusals) {
      const res = await mcrd.json('POST', '/api/v1/relays', refused, auth);
      expect({ status: res.status, message: ([] as string[]).concat(res.body.message).join('\n') }).toEqual({
        status,
        message: expect.stringMatching(message),
      });
    }
    expect(readFileSync(mcrd.storePath, 'utf8')).toBe(storeBefore);

    const sink = await startSink(topo.sink, [
      ...['--group', '239.2.2.2', '--port', '6300', '--interface', 'sink0', '--idle-timeout', '1500', '--rtp'],
    ]);
    await runGen(topo.gen, [
      ...['--group', '239.1.1.1', '--port', '5300', '--interface', 'gen0'],
      ...['--group-b', '239.1.2.1', '--interface-b', 'gen1', '--rtp', '--stream-id', '9'],
      ...['--rate', '10000', '--count', '10000', '--loss-a', '0.1', '--loss-b', '0.1', '--delay-b', '20'],
    ]);
    expect(await sink.result()).toMatchObject({ received: 10000, lost: 0, duplicates: 0 });
    const id = created.body.id as string;
    const stats = (await mcrd.json('GET', `/api/v1/relays/${id}/stats`)).body;
    expect(stats.legs.map((leg: { leg: string; firstCopies: number }) => leg.leg)).toEqual(['a', 'b']);
    expect(stats.legs[0].firstCopies + stats.legs[1].firstCopies).toBe(10000);
    expect(stats.outputs[0].packets).toBe(10000);
    const metrics = await (await mcrd.fetch('/metrics')).text();
    expect(metrics).toMatch(
      new RegExp(`^mcr_relay_leg_packets_forwarded_total\\{relay="${id}",name="e2e-ab",leg="b"\\} \\d+`, 'm'),
    );
  });

  it('serves Swagger UI at /docs and the committed openapi.json at /docs-json', async () => {
    const ui = await mcrd.fetch('/docs');
    expect(ui.status).toBe(200);
    expect(await ui.text()).toContain('swagger-ui');
    const served = await (await mcrd.fetch('/docs-json')).json();
    const committed = JSON.parse(readFileSync(path.resolve(__dirname, '../../apps/mcrd/openapi.json'), 'utf8'));
    expect(served).toEqual(committed);
  });

  it('exits 0 on SIGTERM after turning readiness off', async () => {
    const started = Date.now();
    const exit = await mcrd.stop('SIGTERM');
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(mcrd.output).not.toMatch(/"level":(50|60)/);
  });
});
