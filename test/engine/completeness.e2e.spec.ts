// What makes the engine trustworthy beyond IPv4 forwarding: IPv6 and v4<->v6, SSM, hitless
// output changes, standby and promotion, native fencing, TTL inherit. Real namespaces throughout.
import { createRelayTopology, RemoteEngine, runGen, sleep, startSink, type SinkReport, type Topology } from '../lib';

const started = Date.now();
let topo: Topology;
let engine: RemoteEngine;

beforeAll(async () => {
  topo = await createRelayTopology('full');
  // Second source addresses on the generator's link, for the SSM "other sender".
  await topo.gen.ip('addr', 'add', '10.77.1.3/24', 'dev', 'gen0');
  await topo.gen.ip('addr', 'add', 'fd77:1::3/64', 'dev', 'gen0', 'nodad');
  engine = await RemoteEngine.start(topo.relay);
});

afterAll(async () => {
  await engine?.close().catch(() => engine.kill());
  await topo?.destroy();
  console.log(`engine completeness e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

function sink(group: string, port: number, iface: string, extra: string[] = []) {
  return startSink(topo.sink, [
    '--group',
    group,
    '--port',
    String(port),
    '--interface',
    iface,
    '--idle-timeout',
    '1500',
    ...extra,
  ]);
}

function gen(group: string, port: number, count: number, rate: number, extra: string[] = []) {
  return runGen(topo.gen, [
    '--group',
    group,
    '--port',
    String(port),
    '--interface',
    'gen0',
    '--rate',
    String(rate),
    '--count',
    String(count),
    ...extra,
  ]);
}

type Streams = Array<{ stream_id: number; received: number }>;
const streamsOf = (report: SinkReport) => report.streams as Streams;

test('IPv6 ASM relay: zero loss', async () => {
  const id = await engine.addRelay({
    name: 'v6',
    input: { interface: 'in0', group: 'ff15::101', port: 5000 },
    outputs: [{ interface: 'out0', group: 'ff15::201', port: 6000, ttl: 4 }],
  });
  const receiver = await sink('ff15::201', 6000, 'sink0', ['--expect', '20000']);
  await gen('ff15::101', 5000, 20_000, 20_000);
  expect(await receiver.result()).toMatchObject({ received: 20_000, lost: 0, duplicates: 0 });
  await engine.removeRelay(id);
});

test.each([
  ['IPv4', '232.1.1.1', '10.77.1.2', '10.77.1.3', '232.2.2.2'],
  ['IPv6', 'ff35::8000:1', 'fd77:1::2', 'fd77:1::3', 'ff35::8000:2'],
])('%s SSM: of two senders, only the listed source is forwarded', async (_family, group, listed, other, outGroup) => {
  const id = await engine.addRelay({
    name: `ssm-${group}`,
    input: { interface: 'in0', group, port: 5000, sources: [listed] },
    outputs: [{ interface: 'out0', group: outGroup, port: 6001 }],
  });
  const receiver = await sink(outGroup, 6001, 'sink0');
  await Promise.all([
    gen(group, 5000, 5_000, 10_000, ['--bind', listed, '--stream-id', '1']),
    gen(group, 5000, 5_000, 10_000, ['--bind', other, '--stream-id', '2']),
  ]);
  const report = await receiver.result();
  expect(report).toMatchObject({ received: 5_000, lost: 0, duplicates: 0 });
  expect(streamsOf(report).map((s) => s.stream_id)).toEqual([1]);
  await engine.removeRelay(id);
});

test('an IPv4 ingress feeds an IPv6 output, and the reverse', async () => {
  const v4to6 = await engine.addRelay({
    name: 'v4-to-v6',
    input: { interface: 'in0', group: '239.1.2.1', port: 5000 },
    outputs: [{ interface: 'out0', group: 'ff15::301', port: 6002 }],
  });
  const v6to4 = await engine.addRelay({
    name: 'v6-to-v4',
    input: { interface: 'in0', group: 'ff15::302', port: 5000 },
    outputs: [{ interface: 'out1', group: '239.3.2.1', port: 6003 }],
  });
  const sinks = [
    await sink('ff15::301', 6002, 'sink0', ['--expect', '8000']),
    await sink('239.3.2.1', 6003, 'sink1', ['--expect', '8000']),
  ];
  await Promise.all([gen('239.1.2.1', 5000, 8_000, 10_000), gen('ff15::302', 5000, 8_000, 10_000)]);
  for (const receiver of sinks)
    expect(await receiver.result()).toMatchObject({ received: 8_000, lost: 0, duplicates: 0 });
  await engine.removeRelay(v4to6);
  await engine.removeRelay(v6to4);
});

test('an output added and another removed mid-stream: no gap, no duplicate on a third', async () => {
  const kept = { interface: 'out0', group: '239.2.3.1', port: 6004 };
  const removed = { interface: 'out0', group: '239.2.3.2', port: 6004 };
  const added = { interface: 'out1', group: '239.3.3.1', port: 6004 };
  const spec = { name: 'hitless', input: { interface: 'in0', group: '239.1.3.1', port: 5000 } };
  const id = await engine.addRelay({ ...spec, outputs: [kept, removed] });
  const keptSink = await sink(kept.group, kept.port, 'sink0', ['--expect', '60000']);
  const stream = gen('239.1.3.1', 5000, 60_000, 20_000);
  await sleep(1000);
  await engine.updateRelay(id, { ...spec, outputs: [kept, added] });
  await sleep(500);
  await engine.updateRelay(id, { ...spec, outputs: [{ ...kept, ttl: 8, dscp: 46 }, added] });
  await stream;
  expect(await keptSink.result()).toMatchObject({ received: 60_000, lost: 0, duplicates: 0 });
  await engine.removeRelay(id);
});

test('standby drains and sends nothing; promotion mid-stream: at most a batch of gap, no duplicate', async () => {
  await engine.setRole('standby');
  const id = await engine.addRelay({
    name: 'standby',
    input: { interface: 'in0', group: '239.1.4.1', port: 5000 },
    outputs: [{ interface: 'out0', group: '239.2.4.1', port: 6005 }],
  });
  const receiver = await sink('239.2.4.1', 6005, 'sink0', ['--start-seq', 'first']);
  const stream = gen('239.1.4.1', 5000, 40_000, 20_000);
  await sleep(1000);
  const before = await engine.relayStats(id);
  expect(before?.outputs[0].packets).toBe(0n);
  expect(Number(before?.notForwardedStandby)).toBeGreaterThan(5_000);
  const promotion = await engine.call<{ setRoleUs: number; firstForwardUs: number }>('promoteTimed', id);
  console.log(
    `promotion: setRole('active') returned after ${promotion.setRoleUs.toFixed(0)} µs, first forwarded datagram ` +
      `after ${promotion.firstForwardUs.toFixed(0)} µs (20k pps offered)`,
  );
  expect(promotion.firstForwardUs).toBeLessThan(50_000);
  await stream;
  const report = await receiver.result();
  // Everything after the first forwarded datagram arrived exactly once: no gap, no replay.
  expect(report).toMatchObject({ lost: 0, duplicates: 0 });
  const after = await engine.relayStats(id);
  expect(after?.packetsIn).toBe(40_000n);
  expect(Number(after?.outputs[0].packets) + Number(after?.notForwardedStandby)).toBe(40_000);
  expect(report.received).toBe(Number(after?.outputs[0].packets));
  await engine.removeRelay(id);
});

test('a fence deadline stops output while the JavaScript thread is busy; extending it resumes', async () => {
  const id = await engine.addRelay({
    name: 'fenced',
    input: { interface: 'in0', group: '239.1.5.1', port: 5000 },
    outputs: [{ interface: 'out0', group: '239.2.5.1', port: 6006 }],
  });
  const receiver = await sink('239.2.5.1', 6006, 'sink0', ['--duration', '7']);
  const stream = gen('239.1.5.1', 5000, 50_000, 10_000);
  await sleep(500);
  const reaction = await engine.call<{ reactionUs: number; forwardedAfterDeadline: number }>('fenceTimed', id, 300);
  console.log(
    `fence: first datagram held ${reaction.reactionUs.toFixed(0)} µs after the deadline; ` +
      `${reaction.forwardedAfterDeadline} forwarded after it (10k pps offered, batch 64)`,
  );
  expect(reaction.forwardedAfterDeadline).toBeLessThanOrEqual(64);
  await engine.call('setForwardUntilInMs', 1000);
  await engine.call('busyLoop', 2000); // the host's JavaScript thread is stuck past the deadline
  const fenced = await engine.relayStats(id);
  expect(Number(fenced?.heldByFence)).toBeGreaterThan(5_000);
  const forwardedWhileFenced = fenced?.outputs[0].packets;
  await sleep(300);
  expect((await engine.relayStats(id))?.outputs[0].packets).toBe(forwardedWhileFenced);
  await engine.call('setForwardUntilInMs', 60_000);
  await stream;
  const report = await receiver.result();
  const final = await engine.relayStats(id);
  expect(final?.packetsIn).toBe(50_000n);
  expect(Number(final?.outputs[0].packets) + Number(final?.heldByFence)).toBe(50_000);
  expect(Number(final?.outputs[0].packets)).toBeGreaterThan(Number(forwardedWhileFenced));
  expect(report.duplicates).toBe(0);
  await engine.call('clearForwardUntil');
  await engine.removeRelay(id);
});

test('ttl "inherit" forwards with TTL-1 and drops datagrams that arrive with TTL 1', async () => {
  const id = await engine.addRelay({
    name: 'inherit',
    input: { interface: 'in0', group: '239.1.6.1', port: 5000 },
    outputs: [{ interface: 'out0', group: '239.2.6.1', port: 6007, ttl: 'inherit' }],
  });
  const receiver = await sink('239.2.6.1', 6007, 'sink0');
  await gen('239.1.6.1', 5000, 1_000, 5_000, ['--ttl', '2', '--stream-id', '2']);
  await gen('239.1.6.1', 5000, 700, 5_000, ['--ttl', '1', '--stream-id', '1']);
  const report = await receiver.result();
  expect(streamsOf(report).map((s) => [s.stream_id, s.received])).toEqual([[2, 1_000]]);
  const stats = await engine.relayStats(id);
  expect(stats?.ttlExpired).toBe(700n);
  expect(stats?.outputs[0].packets).toBe(1_000n);
  await engine.removeRelay(id);
});
