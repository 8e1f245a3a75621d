// MCR as the IGMP/MLD querier of a snooping bridge's segment (issue #19): the bridge floods
// while it knows no querier and prunes to members once MCR queries; a joined host gets the whole
// relayed stream across three membership intervals and a host that did not join gets none of it,
// over IPv4 and IPv6 at once; the queries arrive at the configured interval; MCR stands down for a
// querier with a lower address and takes over within the other-querier-present interval; on-demand
// outputs send only while IGMP (timed against the reports on the wire) or MLD reports a listener.
import path from 'node:path';
import { collect, runGen, sleep, startSink } from '../lib';
import { McrdProcess } from '../mcrd/support/mcrd-process';
import { startCapture } from './support/capture';
import { createSnoopingTopology, type SnoopingTopology } from './support/snooping-topology';

const INTERVAL_S = 1;
// robustness x interval + response interval (half the interval here): 2.5 s.
const MEMBERSHIP_INTERVAL_MS = 2 * INTERVAL_S * 1000 + (INTERVAL_S * 1000) / 2;
const LAST_MEMBER_QUERY_TIME_MS = 2000;
const OTHER_QUERIER_PRESENT_MS = 2 * INTERVAL_S * 1000 + (INTERVAL_S * 1000) / 4;
const V4 = { input: '239.80.1.1', output: '239.80.0.1', port: 5800 };
const V6 = { input: 'ff3e::80:1:1', output: 'ff3e::80:0:1', port: 5806 };
const OTHER_QUERIER = path.resolve(__dirname, 'support', 'other-querier.py');
const TARGETS = [`${V4.output}:${V4.port}`, `${V6.output}:${V6.port}`];

function relay(name: string, family: typeof V4) {
  return {
    name,
    input: { interface: 'in0', group: family.input, port: family.port },
    outputs: [{ interface: 'out0', group: family.output, port: family.port }],
  };
}

describe('querier on a snooping bridge', () => {
  let topo: SnoopingTopology;
  let mcrd: McrdProcess | undefined;

  beforeAll(async () => {
    topo = await createSnoopingTopology();
  });
  afterAll(async () => {
    await mcrd?.stop('SIGKILL');
    mcrd?.removeData();
    await topo?.destroy();
  });

  const querierState = async (protocol: 'igmp' | 'mld') => {
    const { body } = await (mcrd as McrdProcess).json('GET', '/api/v1/querier');
    return (body.interfaces as Array<{ protocol: string; state: string; otherQuerier: string | null }>).find(
      (i) => i.protocol === protocol,
    );
  };

  it('floods multicast to every port while the bridge knows no querier', async () => {
    const capture = await startCapture(topo.hostB, 'b0', 1.5, TARGETS);
    const sent = await runGen(topo.relay, [
      ...['--group', V4.output, '--port', String(V4.port), '--interface', 'out0', '--rate', '200', '--count', '100'],
    ]);
    const report = await capture.report;
    expect(sent.sent).toBe(100);
    expect(report.udp[TARGETS[0]]).toBe(100);
    expect(report.queries).toEqual([]);
  });

  it('with MCR as querier, a joined host gets the whole stream and the other host none of it', async () => {
    mcrd = McrdProcess.start({
      ns: topo.relay,
      address: topo.relayMgmtAddress,
      env: { MCR_QUERIER_INTERFACES: 'out0', MCR_QUERIER_INTERVAL_S: String(INTERVAL_S) },
    });
    await mcrd.waitReady();
    for (const [name, family] of [['feed-v4', V4] as const, ['feed-v6', V6] as const]) {
      expect((await mcrd.json('POST', '/api/v1/relays', relay(name, family))).status).toBe(201);
    }
    const sinkV4 = await startSink(topo.hostA, ['--group', V4.output, '--port', String(V4.port), '--interface', 'a0']);
    const sinkV6 = await startSink(topo.hostA, ['--group', V6.output, '--port', String(V6.port), '--interface', 'a0']);
    // The bridge has heard MCR's startup queries and host A's answers by now.
    await sleep(1500);
    const streamMs = 3 * MEMBERSHIP_INTERVAL_MS + 500;
    const captureB = await startCapture(topo.hostB, 'b0', streamMs / 1000 + 1, TARGETS);
    const rate = 400;
    const count = Math.round((rate * streamMs) / 1000);
    const gen = (family: typeof V4) =>
      runGen(topo.gen, [
        ...['--group', family.input, '--port', String(family.port), '--interface', 'gen0'],
        ...['--rate', String(rate), '--count', String(count)],
      ]);
    const [sentV4, sentV6] = await Promise.all([gen(V4), gen(V6)]);
    await sleep(300);
    const [gotV4, gotV6] = await Promise.all([sinkV4.stop(), sinkV6.stop()]);
    const atB = await captureB.report;

    expect(sentV4.sent).toBe(count);
    expect(sentV6.sent).toBe(count);
    expect([gotV4.received, gotV4.lost]).toEqual([count, 0]);
    expect([gotV6.received, gotV6.lost]).toEqual([count, 0]);
    expect(atB.udp).toEqual({ [TARGETS[0]]: 0, [TARGETS[1]]: 0 });

    // General queries of both protocols reach host B once per interval (it hears them flooded).
    for (const protocol of ['igmp', 'mld'] as const) {
      const general = atB.queries.filter((q) => q.protocol === protocol && /^(0\.0\.0\.0|::)$/.test(q.group));
      expect(general.length).toBeGreaterThanOrEqual(Math.floor(streamMs / 1000 / INTERVAL_S) - 1);
      const gaps = general.slice(1).map((q, i) => q.at - general[i].at);
      for (const gap of gaps) expect(gap).toBeGreaterThan(INTERVAL_S * 0.8);
      for (const gap of gaps) expect(gap).toBeLessThan(INTERVAL_S * 1.3);
      expect(general.every((q) => q.version === (protocol === 'igmp' ? 3 : 2))).toBe(true);
    }
    expect(atB.queries.find((q) => q.protocol === 'igmp')?.source).toBe('10.80.2.10');

    const { body } = await mcrd.json('GET', '/api/v1/membership');
    const groups = (protocol: string) =>
      (body.interfaces as Array<{ protocol: string; groups: Array<{ group: string; lastReporter: string }> }>).find(
        (i) => i.protocol === protocol,
      )?.groups ?? [];
    expect(groups('igmp')).toEqual(
      expect.arrayContaining([expect.objectContaining({ group: V4.output, lastReporter: '10.80.2.20' })]),
    );
    expect(groups('mld').map((g) => g.group)).toContain(V6.output);
  });

  it('stands down for a querier with a lower address and takes over when it goes silent', async () => {
    // A second querier on host B, from 10.80.2.2: lower than MCR's 10.80.2.10. It queries for 4 s.
    await topo.hostB.ip('addr', 'add', '10.80.2.2/24', 'dev', 'b0');
    const other = collect(
      topo.hostB.exec('python3', [OTHER_QUERIER, 'b0', '10.80.2.2', String(INTERVAL_S), '4'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    const deadline = Date.now() + 3000;
    while ((await querierState('igmp'))?.state !== 'non-querier') {
      if (Date.now() > deadline)
        throw new Error(`MCR did not stand down: ${JSON.stringify(await querierState('igmp'))}`);
      await sleep(50);
    }
    expect((await querierState('igmp'))?.otherQuerier).toBe('10.80.2.2');
    const quiet = await startCapture(topo.hostA, 'a0', 1.5, TARGETS);
    const heard = (await quiet.report).queries.filter((q) => q.protocol === 'igmp');
    expect(heard.length).toBeGreaterThan(0);
    expect(heard.every((q) => q.source === '10.80.2.2')).toBe(true);

    expect((await other).code).toBe(0);
    // Its last query left at most one interval before it exited.
    const silentSince = Date.now() - INTERVAL_S * 1000;
    while ((await querierState('igmp'))?.state !== 'querier') {
      if (Date.now() - silentSince > OTHER_QUERIER_PRESENT_MS + 2000) throw new Error('MCR did not take over');
      await sleep(50);
    }
    expect(Date.now() - silentSince).toBeLessThan(OTHER_QUERIER_PRESENT_MS + 500);
    const after = await startCapture(topo.hostA, 'a0', 1.5, TARGETS);
    const resumed = (await after.report).queries.filter((q) => q.protocol === 'igmp');
    expect(resumed.map((q) => q.source)).toContain('10.80.2.10');
  });

  it('sends an on-demand output only while a member is reported: within a datagram of the join, until the leave', async () => {
    const current = mcrd as McrdProcess;
    const od = { input: '239.80.1.9', output: '239.80.0.9', port: 5809 };
    const target = `${od.output}:${od.port}`;
    const created = await current.json('POST', '/api/v1/relays', {
      name: 'feed-on-demand',
      input: { interface: 'in0', group: od.input, port: od.port },
      outputs: [{ interface: 'out0', group: od.output, port: od.port, onDemand: true }],
    });
    expect(created.status).toBe(201);
    const outputStats = async () =>
      (await current.json('GET', `/api/v1/relays/${created.body.id}/stats`)).body.outputs[0] as {
        packets: number;
        pruned: number;
        prunedMs: number;
      };
    const stream = (count: number, rate: number) =>
      runGen(topo.gen, [
        ...['--group', od.input, '--port', String(od.port), '--interface', 'gen0'],
        ...['--rate', String(rate), '--count', String(count)],
      ]);

    // No receiver: nothing leaves on that output.
    expect((await stream(200, 400)).sent).toBe(200);
    await sleep(100);
    expect(await outputStats()).toMatchObject({ packets: 0, pruned: 200 });

    // A receiver joins mid-stream and leaves again; out0 shows when the output sent.
    const rate = 500;
    // 7 s of stream: the leave (at about 2.5 s) plus its 2 s latency end well before the stream.
    const capture = await startCapture(topo.relay, 'out0', 8, [target], { outgoing: true });
    const streaming = stream(rate * 7, rate);
    await sleep(1000);
    const sink = await startSink(topo.hostA, ['--group', od.output, '--port', String(od.port), '--interface', 'a0']);
    await sleep(1500);
    const got = await sink.stop();
    expect((await streaming).sent).toBe(rate * 7);
    const seen = await capture.report;

    const records = (kind: number) =>
      seen.reports.filter((r) => r.records.some(([type, group]) => type === kind && group === od.output));
    // The first IS_EX / TO_EX record for the group is the join, the first TO_IN after it the leave.
    const joinedAt = Math.min(
      ...records(2)
        .concat(records(4))
        .map((r) => r.at),
    );
    const leave = records(3).find((r) => r.at > joinedAt);
    if (leave === undefined) throw new Error(`no leave report for ${od.output}: ${JSON.stringify(seen.reports)}`);
    const leftAt = leave.at;
    expect(joinedAt).toBeLessThan(Infinity);
    const firstSentAt = seen.udp_first_at[target];
    const lastSentAt = seen.udp_last_at[target];
    // Traffic starts with the first datagram after the report (one 2 ms interval, plus slack).
    expect((firstSentAt - joinedAt) * 1000).toBeGreaterThanOrEqual(0);
    expect((firstSentAt - joinedAt) * 1000).toBeLessThan(2 * (1000 / rate) + 3);
    // It stops once the group's timer, lowered by the leave to the last member query time (2 x 1 s
    // group queries without an answer) or less if the last report is older, runs out...
    expect(lastSentAt).toBeGreaterThan(leftAt);
    expect((lastSentAt - leftAt) * 1000).toBeLessThan(LAST_MEMBER_QUERY_TIME_MS + 300);
    expect(got.received).toBeGreaterThan(rate * 1.2);
    const stats = await outputStats();
    // Every datagram the relay received was either sent or pruned (the capture sees a GSO
    // message as one packet, so the engine's counters are the measure here).
    expect(stats.packets + stats.pruned).toBe(200 + rate * 7);
    expect(stats.packets).toBeGreaterThan(rate * 1.5);
    // ...well before the stream ends: the first second and the last two at least were pruned.
    expect(stats.pruned).toBeGreaterThan(200 + rate * 3);
    expect(stats.prunedMs).toBeGreaterThan(3000);
  });

  it('sends an IPv6 on-demand output only while MLD reports a listener', async () => {
    const current = mcrd as McrdProcess;
    const od = { input: 'ff3e::80:1:9', output: 'ff3e::80:0:9', port: 5819 };
    const created = await current.json('POST', '/api/v1/relays', {
      name: 'feed-on-demand-v6',
      input: { interface: 'in0', group: od.input, port: od.port },
      outputs: [{ interface: 'out0', group: od.output, port: od.port, onDemand: true }],
    });
    expect(created.status).toBe(201);
    const sent = async () =>
      (await current.json('GET', `/api/v1/relays/${created.body.id}/stats`)).body.outputs[0] as {
        packets: number;
        pruned: number;
      };
    const stream = async (count: number) => {
      const gen = await runGen(topo.gen, [
        ...['--group', od.input, '--port', String(od.port), '--interface', 'gen0'],
        ...['--rate', '500', '--count', String(count)],
      ]);
      expect(gen.sent).toBe(count);
      await sleep(100);
    };

    // No listener: the output is pruned.
    await stream(200);
    expect(await sent()).toEqual(expect.objectContaining({ packets: 0, pruned: 200 }));

    // Host A listens (its kernel sends the MLDv2 report): the whole stream reaches it.
    const sink = await startSink(topo.hostA, ['--group', od.output, '--port', String(od.port), '--interface', 'a0']);
    await sleep(500);
    await stream(1000);
    const got = await sink.stop(); // the socket closes: the kernel reports the leave
    expect([got.received, got.lost]).toEqual([1000, 0]);
    expect(await sent()).toEqual(expect.objectContaining({ packets: 1000, pruned: 200 }));

    // After the leave latency nothing is sent again.
    await sleep(LAST_MEMBER_QUERY_TIME_MS + 500);
    await stream(200);
    expect(await sent()).toEqual(expect.objectContaining({ packets: 1000, pruned: 400 }));
  });
});
