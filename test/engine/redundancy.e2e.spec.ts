// Seamless protection end to end: one feed sent twice (A on gen0 -> in0, B on gen1 -> in1) with
// losses and skew between the legs, merged or failed over by a redundant relay, counted at a
// sink that checks every sequence number. Real namespaces, the real tools, the real engine.
import type { RelayRedundancy } from '@mcr/model';
import { createRelayTopology, RemoteEngine, RemoteEngineError, runGen, startSink, type Topology } from '../lib';

const started = Date.now();
let topo: Topology;
let engine: RemoteEngine;

beforeAll(async () => {
  topo = await createRelayTopology('redundancy');
  // 32 MiB receive queues ride out the worker stalls of a loaded, shared CI host at 100k/s.
  engine = await RemoteEngine.start(topo.relay, { socketBufferBytes: 32 << 20 });
});

afterAll(async () => {
  await engine?.close().catch(() => engine.kill());
  await topo?.destroy();
  console.log(`engine redundancy e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

const RATE = 10_000;

function redundantRelay(name: string, port: number, redundancy: Partial<RelayRedundancy>) {
  return engine.addRelay({
    name,
    input: { interface: 'in0', group: '239.1.1.1', port },
    outputs: [{ interface: 'out0', group: '239.9.9.1', port: port + 1000 }],
    redundancy: {
      input: { interface: 'in1', group: '239.1.2.1', port },
      mode: 'merge',
      key: 'rtp',
      windowMs: 50,
      lossMs: 100,
      revertMs: 0,
      ...redundancy,
    },
  });
}

/** Both legs of one stream: A to 239.1.1.1 on gen0, B to 239.1.2.1 on gen1. */
function sendBothLegs(port: number, count: number, startSeq: number, legs: string[]) {
  return runGen(topo.gen, [
    ...['--group', '239.1.1.1', '--port', String(port), '--interface', 'gen0'],
    ...['--group-b', '239.1.2.1', '--interface-b', 'gen1'],
    ...['--rate', String(RATE), '--count', String(count), '--start-seq', String(startSeq)],
    ...['--stream-id', '7', '--rtp', '--size', '1328'],
    ...legs,
  ]);
}

function sinkOn(port: number, extra: string[]) {
  return startSink(topo.sink, [
    ...['--group', '239.9.9.1', '--port', String(port + 1000), '--interface', 'sink0'],
    ...['--idle-timeout', '1500', '--rtp'],
    ...extra,
  ]);
}

test.each<[RelayRedundancy['key'], number]>([
  ['payload', 5100],
  ['rtp', 5000],
])(
  'merge (key %s): 10%% + disjoint 10%% random loss, 40 ms skew, then a 1 s outage of A: no loss, no duplicate',
  async (key, port) => {
    const id = await redundantRelay(`merge-${key}`, port, { key, windowMs: 50 });
    const receiver = await sinkOn(port, ['--expect', '40000']);
    // Phase 1: both legs lose 10% at random, never the same datagram; B trails A by 40 ms.
    const random = await sendBothLegs(port, 20_000, 0, ['--loss-a', '0.1', '--loss-b', '0.1', '--delay-b', '40']);
    // Phase 2: A is silent for 1 s from 0.5 s on; B, 40 ms behind, carries everything then.
    const outage = await sendBothLegs(port, 20_000, 20_000, ['--outage-a', '0.5+1', '--delay-b', '40']);
    const report = await receiver.result();
    const stats = await engine.relayStats(id);
    console.log(
      `merge key ${key}: sink ${JSON.stringify({ received: report.received, lost: report.lost, duplicates: report.duplicates, reordered: report.reordered })}; legs ${JSON.stringify(stats?.legs, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v))}; gen legs ${JSON.stringify([random.legs, outage.legs])}`,
    );
    expect(report).toMatchObject({ received: 40_000, lost: 0, duplicates: 0 });
    const [a, b] = stats?.legs ?? [];
    expect(a.firstCopies + b.firstCopies).toBe(40_000n);
    // Every received copy is accounted for once: forwarded, or suppressed (a copy inside the
    // window, or one that scheduling noise on this shared host pushed just past it).
    for (const leg of [a, b]) expect(leg.firstCopies + leg.duplicates + leg.tooLate).toBe(leg.legPackets);
    expect(b.firstCopies).toBeGreaterThanOrEqual(10_000n); // at least the outage came from B alone
    await engine.removeRelay(id);
  },
);

test('merge at 100,000 datagrams/s per leg (200,000/s into the relay): 10% + disjoint 10% loss, 20 ms skew', async () => {
  const port = 5500;
  const rate = 100_000;
  const id = await redundantRelay('merge-fast', port, { key: 'rtp', windowMs: 50 });
  const receiver = await sinkOn(port, ['--expect', String(2 * rate)]);
  const gen = await runGen(topo.gen, [
    ...['--group', '239.1.1.1', '--port', String(port), '--interface', 'gen0'],
    ...['--group-b', '239.1.2.1', '--interface-b', 'gen1'],
    ...['--rate', String(rate), '--count', String(2 * rate), '--stream-id', '8', '--rtp', '--size', '1328'],
    ...['--loss-a', '0.1', '--loss-b', '0.1', '--delay-b', '20'],
  ]);
  const report = await receiver.result();
  const stats = await engine.relayStats(id);
  console.log(
    `merge at ${rate}/s per leg: sink ${JSON.stringify({ received: report.received, lost: report.lost, duplicates: report.duplicates, kernel_drops: report.kernel_drops })}, relay ${JSON.stringify({ rxqOverflow: Number(stats?.rxqOverflow), legs: stats?.legs.map((l) => [Number(l.legPackets), Number(l.tooLate)]) })}, gen ${JSON.stringify({ sendErrors: gen.send_errors, legs: gen.legs })}`,
  );
  expect(report).toMatchObject({ received: 2 * rate, lost: 0, duplicates: 0 });
  expect(stats?.rxqOverflow).toBe(0n);
  await engine.removeRelay(id);
});

test('failover: A stops, B takes over within lossMs + 50 ms, no duplicate', async () => {
  const port = 5200;
  const id = await redundantRelay('failover', port, { mode: 'failover', lossMs: 100 });
  const receiver = await sinkOn(port, ['--expect', '20000']);
  // A stops for good 1 s into a 2 s stream; B trails A by 20 ms.
  await sendBothLegs(port, 20_000, 0, ['--outage-a', '1+5', '--delay-b', '20']);
  const report = await receiver.result();
  const stats = await engine.relayStats(id);
  console.log(
    `failover: sink ${JSON.stringify({ received: report.received, lost: report.lost, duplicates: report.duplicates, longest_gap: report.longest_gap, longest_silence_ms: report.longest_silence_ms })}, active leg ${stats?.activeLeg}`,
  );
  expect(report.duplicates).toBe(0);
  // The gap in the stream (consecutive sequence numbers missing), in time at the stream's rate:
  // unlike the sink's silence, a stall of the generator on this shared host does not count.
  const gapMs = ((report.longest_gap as number) * 1000) / RATE;
  expect(gapMs).toBeLessThanOrEqual(100 + 50);
  expect(report.lost).toBe(report.longest_gap); // one gap, at the switch
  expect(stats?.activeLeg).toBe(1);
  expect(stats?.legs[1].inactiveLeg).toBeGreaterThan(9_000n);
  await engine.removeRelay(id);
});

test.each([
  [{ windowMs: 0 }, 'redundancy.windowMs'],
  [{ windowMs: 1001 }, 'redundancy.windowMs'],
  [{ input: { interface: 'in0', group: '239.1.1.1', port: 5300, sources: [] } }, 'redundancy.input'],
])('the engine refuses %j naming the field', async (redundancy, field) => {
  const refusal = await redundantRelay('bad', 5300, redundancy).catch((error: unknown) => error);
  expect(refusal).toBeInstanceOf(RemoteEngineError);
  expect(refusal).toMatchObject({ code: 'ERR_MCR_SPEC', field });
});
