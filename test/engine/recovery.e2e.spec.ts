// Automatic interface recovery: the relay's ingress, then its output interface, deleted and
// recreated mid-stream (same name, new ifindex). The engine reports interface-down and
// interface-up, and forwarding resumes by itself, with no call from JavaScript and no duplicate.
import type { EngineEvent } from '@mcr/engine';
import { RemoteEngine, sleep, startGen, startSink } from '../lib';
import { createSwitchedTopology, type SwitchedTopology } from '../lib/switched-topology';

const RATE_PPS = 2_000;
const COUNT = 14_000; // 7 s of traffic: the interface is away for ~1.5 s of it
const RECOVERY_BOUND_MS = 3_000;

const started = Date.now();
let topo: SwitchedTopology;
let engine: RemoteEngine;
const events: EngineEvent[] = [];

beforeAll(async () => {
  topo = await createSwitchedTopology('recover');
  engine = await RemoteEngine.start(topo.relay);
});

afterAll(async () => {
  await engine?.close().catch(() => engine.kill());
  await topo?.destroy();
  console.log(`engine recovery e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

async function waitForEvent(type: string, relayId: string, iface: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    events.push(...(await engine.events()));
    if (events.some((e) => e.type === type && e.relayId === relayId && e.interface === iface)) return;
    if (Date.now() > deadline)
      throw new Error(`no ${type} event for ${relayId} on ${iface}; got ${JSON.stringify(events)}`);
    await sleep(20);
  }
}

/** Milliseconds from now until the relay's first output sends another datagram. */
async function msUntilForwarding(relayId: string, timeoutMs: number): Promise<number> {
  const start = Date.now();
  const before = (await engine.relayStats(relayId))?.outputs[0].packets ?? 0n;
  while (Date.now() - start < timeoutMs) {
    const now = (await engine.relayStats(relayId))?.outputs[0].packets ?? 0n;
    if (now > before) return Date.now() - start;
    await sleep(5);
  }
  throw new Error(`relay ${relayId} did not resume forwarding within ${timeoutMs} ms`);
}

test.each([
  ['ingress', 'in0', '239.5.1.1', '239.6.1.1', 6001],
  ['output', 'out0', '239.5.1.2', '239.6.1.2', 6002],
])(
  'the %s interface deleted and recreated mid-stream: forwarding resumes by itself',
  async (which, iface, group, outGroup, outPort) => {
    const id = await engine.addRelay({
      name: `recover-${which}`,
      input: { interface: 'in0', group, port: 5000 },
      outputs: [{ interface: 'out0', group: outGroup, port: outPort }],
    });
    const sink = await startSink(topo.sink, [
      '--group',
      outGroup,
      '--port',
      String(outPort),
      '--interface',
      'sink0',
      '--expect',
      String(COUNT),
      '--idle-timeout',
      '2000',
    ]);
    const stream = startGen(topo.gen, [
      '--group',
      group,
      '--port',
      '5000',
      '--interface',
      'gen0',
      '--rate',
      String(RATE_PPS),
      '--count',
      String(COUNT),
    ]);
    await sleep(1_000);

    await topo.relay.ip('link', 'del', iface);
    await waitForEvent('interface-down', id, iface);
    expect((await engine.relayStats(id))?.interfacesDown).toEqual([iface]);
    await sleep(1_000);
    await (which === 'ingress' ? topo.recreateIngress() : topo.recreateOutput());
    const recoveryMs = await msUntilForwarding(id, RECOVERY_BOUND_MS);
    await waitForEvent('interface-up', id, iface);
    expect((await engine.relayStats(id))?.interfacesDown).toEqual([]);

    const sent = await stream;
    const report = await sink.result();
    const silenceMs = Number(report.longest_silence_ms);
    console.log(
      `${which} interface recovery: interface back -> first forwarded datagram ${recoveryMs} ms; ` +
        `longest silence at the sink ${silenceMs.toFixed(0)} ms; lost during the outage ${report.lost} of ${sent.sent}`,
    );
    expect(sent.sent).toBe(COUNT);
    expect(report.duplicates).toBe(0);
    // The tail arrived: forwarding resumed and kept going to the end of the stream.
    const streams = report.streams as Array<{ last_seq: number }>;
    expect(streams[0].last_seq).toBe(COUNT - 1);
    // What was lost fits in the outage (interface away ~1 s + recovery), never more.
    expect(report.lost).toBeGreaterThan(0);
    expect(report.lost).toBeLessThan(RATE_PPS * (2 + RECOVERY_BOUND_MS / 1000));
    expect(silenceMs).toBeLessThan(2_000 + RECOVERY_BOUND_MS);
    const stats = await engine.relayStats(id);
    expect(Number(stats?.packetsIn)).toBeGreaterThan(report.received - 1); // counters survived
    await engine.removeRelay(id);
  },
);
