// The engine forwards IPv4 correctly, end to end, through real namespaces:
// generator ns -> relay ns (the engine, in a child process) -> sink ns.
import { createRelayTopology, RemoteEngine, runGen, sleep, startSink, type Topology } from '../lib';
import { onEbpf } from '../lib/datapath';

const started = Date.now();
let topo: Topology;
let engine: RemoteEngine;

beforeAll(async () => {
  topo = await createRelayTopology('fwd');
  engine = await RemoteEngine.start(topo.relay);
});

afterAll(async () => {
  await engine?.close().catch(() => engine.kill());
  await topo?.destroy();
  console.log(`engine forwarding e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const input = (group: string, port: number, iface = 'in0') => ({ interface: iface, group, port });
const output = (group: string, port: number, iface = 'out0') => ({ interface: iface, group, port });

function sink(group: string, port: number, iface = 'sink0', extra: string[] = []) {
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

function gen(group: string, port: number, count: number, rate: number, extra: string[] = [], iface = 'gen0') {
  return runGen(topo.gen, [
    '--group',
    group,
    '--port',
    String(port),
    '--interface',
    iface,
    '--rate',
    String(rate),
    '--count',
    String(count),
    ...extra,
  ]);
}

test('200,000 datagrams arrive with zero loss and zero duplicates', async () => {
  const id = await engine.addRelay({
    name: 'bulk',
    input: input('239.1.1.1', 5000),
    outputs: [output('239.2.2.2', 6000)],
  });
  const receiver = await sink('239.2.2.2', 6000, 'sink0', ['--expect', '200000']);
  const sent = await gen('239.1.1.1', 5000, 200_000, 40_000);
  const report = await receiver.result();
  expect(sent.sent).toBe(200_000);
  expect(report).toMatchObject({ received: 200_000, lost: 0, duplicates: 0 });
  const stats = await engine.relayStats(id);
  expect(stats?.packetsIn).toBe(200_000n);
  expect(stats?.outputs[0].packets).toBe(200_000n);
  expect(stats?.outputs[0].sendErrors).toBe(0n);
  await engine.removeRelay(id);
});

test('fan-out to 3 outputs on 2 interfaces delivers every datagram to each', async () => {
  const id = await engine.addRelay({
    name: 'fanout',
    input: input('239.1.1.2', 5000),
    outputs: [output('239.2.2.2', 6002), output('239.2.2.3', 6003), output('239.3.3.3', 6004, 'out1')],
  });
  const sinks = await Promise.all([
    sink('239.2.2.2', 6002, 'sink0', ['--expect', '20000']),
    sink('239.2.2.3', 6003, 'sink0', ['--expect', '20000']),
    sink('239.3.3.3', 6004, 'sink1', ['--expect', '20000']),
  ]);
  await gen('239.1.1.2', 5000, 20_000, 20_000);
  for (const receiver of sinks) {
    expect(await receiver.result()).toMatchObject({ received: 20_000, lost: 0, duplicates: 0 });
  }
  const stats = await engine.relayStats(id);
  expect(stats?.outputs.map((o) => o.packets)).toEqual([20_000n, 20_000n, 20_000n]);
  await engine.removeRelay(id);
});

test('multicast to unicast, and unicast to multicast', async () => {
  const toUnicast = await engine.addRelay({
    name: 'm2u',
    input: input('239.1.1.3', 5000),
    outputs: [output('10.77.2.2', 7000)],
  });
  const toMulticast = await engine.addRelay({
    name: 'u2m',
    input: input('10.77.1.1', 5100),
    outputs: [output('239.2.2.4', 7100)],
  });
  const unicastSink = await sink('10.77.2.2', 7000, 'sink0', ['--expect', '10000']);
  const multicastSink = await sink('239.2.2.4', 7100, 'sink0', ['--expect', '10000']);
  await Promise.all([gen('239.1.1.3', 5000, 10_000, 10_000), gen('10.77.1.1', 5100, 10_000, 10_000)]);
  expect(await unicastSink.result()).toMatchObject({ received: 10_000, lost: 0, duplicates: 0 });
  expect(await multicastSink.result()).toMatchObject({ received: 10_000, lost: 0, duplicates: 0 });
  await engine.removeRelay(toUnicast);
  await engine.removeRelay(toMulticast);
});

test('the same group:port on two interfaces is two relays with no cross-talk', async () => {
  const a = await engine.addRelay({
    name: 'side-a',
    input: input('239.1.1.4', 5000, 'in0'),
    outputs: [output('239.2.2.5', 6005)],
  });
  const b = await engine.addRelay({
    name: 'side-b',
    input: input('239.1.1.4', 5000, 'in1'),
    outputs: [output('239.3.3.5', 6005, 'out1')],
  });
  const sinkA = await sink('239.2.2.5', 6005, 'sink0');
  const sinkB = await sink('239.3.3.5', 6005, 'sink1');
  await Promise.all([
    gen('239.1.1.4', 5000, 7_000, 10_000, ['--stream-id', '101'], 'gen0'),
    gen('239.1.1.4', 5000, 3_000, 10_000, ['--stream-id', '202'], 'gen1'),
  ]);
  const [reportA, reportB] = [await sinkA.result(), await sinkB.result()];
  expect(reportA).toMatchObject({ received: 7_000, lost: 0, duplicates: 0 });
  expect(reportB).toMatchObject({ received: 3_000, lost: 0, duplicates: 0 });
  expect((await engine.relayStats(a))?.packetsIn).toBe(7_000n);
  expect((await engine.relayStats(b))?.packetsIn).toBe(3_000n);
  await engine.removeRelay(a);
  await engine.removeRelay(b);
});

test('adding and removing other relays mid-stream leaves a running relay without a gap', async () => {
  const steady = await engine.addRelay({
    name: 'steady',
    input: input('239.1.1.5', 5000),
    outputs: [output('239.2.2.6', 6006)],
  });
  const doomed = await engine.addRelay({
    name: 'doomed',
    input: input('239.1.1.6', 5000),
    outputs: [output('239.2.2.7', 6007)],
  });
  const receiver = await sink('239.2.2.6', 6006, 'sink0', ['--expect', '60000']);
  const stream = gen('239.1.1.5', 5000, 60_000, 20_000);
  await sleep(800);
  const added = await engine.addRelay({
    name: 'newcomer',
    input: input('239.1.1.7', 5000),
    outputs: [output('239.2.2.8', 6008, 'out1')],
  });
  await engine.removeRelay(doomed);
  await sleep(300);
  await engine.updateRelay(added, {
    name: 'newcomer',
    input: input('239.1.1.7', 5000),
    outputs: [output('239.2.2.9', 6009, 'out1')],
  });
  await stream;
  expect(await receiver.result()).toMatchObject({ received: 60_000, lost: 0, duplicates: 0 });
  await engine.removeRelay(added);
  await engine.removeRelay(steady);
});

test('datagrams of 0, 1 and 8972 bytes are relayed with their exact size', async () => {
  const id = await engine.addRelay({
    name: 'sizes',
    input: input('239.1.1.8', 5000),
    outputs: [output('239.2.2.10', 6010)],
  });
  for (const size of [0, 1, 8972]) {
    const raw = size < 24 ? ['--raw'] : [];
    const receiver = await sink('239.2.2.10', 6010, 'sink0', raw);
    await gen('239.1.1.8', 5000, 500, 5_000, ['--size', String(size), ...raw]);
    const report = await receiver.result();
    expect(report.received).toBe(500);
    expect(report.bytes).toBe(500 * size);
  }
  const stats = await engine.relayStats(id);
  expect(stats?.truncated).toBe(0n);
  expect(stats?.bytesIn).toBe(BigInt(500 * (0 + 1 + 8972)));
  await engine.removeRelay(id);
});

// bufferSize is the size of the socket path's receive slots. The eBPF program has no such slot: it
// rewrites the datagram in place in the kernel, so it forwards every size the link carries, whole,
// and truncates nothing. The eBPF pass asserts exactly that instead.
const truncatesLargeDatagrams = !onEbpf();

test(`a datagram larger than a small receive buffer is ${truncatesLargeDatagrams ? 'counted as truncated and never forwarded' : 'forwarded whole by the eBPF program'}`, async () => {
  const small = await RemoteEngine.start(topo.relay, { bufferSize: 512 });
  try {
    const id = await small.addRelay({
      name: 'small',
      input: input('239.1.1.9', 5000),
      outputs: [output('239.2.2.11', 6011)],
    });
    const receiver = await sink('239.2.2.11', 6011, 'sink0', ['--duration', '3']);
    await gen('239.1.1.9', 5000, 300, 3_000, ['--size', '1000']);
    await gen('239.1.1.9', 5000, 200, 3_000, ['--size', '400', '--stream-id', '7']);
    const report = await receiver.result();
    const forwarded = truncatesLargeDatagrams
      ? { received: 200, bytes: 200 * 400 }
      : { received: 500, bytes: 300 * 1000 + 200 * 400 };
    expect(report).toMatchObject(forwarded);
    const stats = await small.relayStats(id);
    expect(stats?.truncated).toBe(truncatesLargeDatagrams ? 300n : 0n);
    expect(stats?.packetsIn).toBe(BigInt(forwarded.received));
    expect(stats?.outputs[0].packets).toBe(BigInt(forwarded.received));
  } finally {
    await small.close();
  }
});
