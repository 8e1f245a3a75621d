// UDP GSO end to end: a relay with GSO on (the default) delivers a stream of mixed sizes (runs
// of equal sizes, short tails, empty datagrams that cannot be segmented) exactly once, in order,
// each datagram with its own size, to a plain output and a ttl "inherit" output, through real
// namespaces: generator ns -> relay ns (the engine, in a child process) -> sink ns.
import type { ChildProcess } from 'node:child_process';
import { Engine, EngineError, type EngineOptions } from '@mcr/engine';
import { createRelayTopology, RemoteEngine, type Topology } from '../lib';
import { onEbpf } from '../lib/datapath';

const started = Date.now();
let topo: Topology;
let engine: RemoteEngine;

beforeAll(async () => {
  topo = await createRelayTopology('gso');
  engine = await RemoteEngine.start(topo.relay);
});

afterAll(async () => {
  await engine?.close().catch(() => engine.kill());
  await topo?.destroy();
  console.log(`engine gso e2e: ${((Date.now() - started) / 1000).toFixed(1)} s`);
});

/** One round of the stream; the generator repeats it. Sizes < 4 cannot carry a sequence number. */
const ROUND_SIZES = [0, 64, 64, 64, 64, 64, 10, 0, 0, 1400, 1400, 1400, 8000, 8000, 8000, 3, 1, 1024, 1024];
const ROUNDS = 400;

/**
 * The generator: each datagram starts with its uint32 sequence number when it has room for it
 * (else it is filled with the low byte of the sequence); rounds go back to back so the relay's
 * batches hold runs it can group, with a 1 ms pause between rounds so no queue overflows.
 */
const GENERATOR = `
const dgram = require('node:dgram');
const [group, port, iface, sizes, rounds] = JSON.parse(process.argv[1]);
const socket = dgram.createSocket('udp4');
socket.bind(0, iface, async () => {
  socket.setMulticastInterface(iface);
  socket.setMulticastTTL(16);
  let sequence = 0;
  for (let round = 0; round < rounds; round++) {
    const sends = sizes.map((size) => {
      const payload = Buffer.alloc(size, sequence & 0xff);
      if (size >= 4) payload.writeUInt32BE(sequence);
      sequence++;
      return new Promise((resolve, reject) => socket.send(payload, port, group, (e) => (e ? reject(e) : resolve())));
    });
    await Promise.all(sends);
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  socket.close();
  process.stdout.write(JSON.stringify({ sent: sequence }));
});`;

/** The sink: joins the group and records [size, sequence or -1] per datagram until SIGTERM. */
const SINK = `
const dgram = require('node:dgram');
const [group, port, iface] = JSON.parse(process.argv[1]);
const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true, recvBufferSize: 4 << 20 });
const received = [];
socket.on('message', (m) => received.push([m.length, m.length >= 4 ? m.readUInt32BE(0) : -1]));
socket.bind(port, group, () => { socket.addMembership(group, iface); process.stdout.write('ready\\n'); });
process.on('SIGTERM', () => { process.stdout.write(JSON.stringify(received)); process.exit(0); });`;

type Datagram = [size: number, sequence: number];

function output(child: ChildProcess): { text: () => string; done: Promise<number | null> } {
  let stdout = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const done = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  return { text: () => stdout, done };
}

async function startSink(group: string, port: number): Promise<() => Promise<Datagram[]>> {
  const child = topo.sink.exec('node', ['-e', SINK, JSON.stringify([group, port, '10.77.2.2'])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const out = output(child);
  const deadline = Date.now() + 10_000;
  while (!out.text().startsWith('ready\n')) {
    if (child.exitCode !== null || Date.now() > deadline) throw new Error('the sink did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return async () => {
    child.kill('SIGTERM');
    await out.done;
    return JSON.parse(out.text().slice('ready\n'.length)) as Datagram[];
  };
}

async function generate(group: string, port: number): Promise<number> {
  const child = topo.gen.exec(
    'node',
    ['-e', GENERATOR, JSON.stringify([group, port, '10.77.1.2', ROUND_SIZES, ROUNDS])],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const out = output(child);
  expect(await out.done).toBe(0);
  return (JSON.parse(out.text()) as { sent: number }).sent;
}

/** What the sink must hold: every datagram of the stream once, in order, with its size. */
function expectedStream(): Datagram[] {
  const expected: Datagram[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const size of ROUND_SIZES) expected.push([size, size >= 4 ? expected.length : -1]);
  }
  return expected;
}

async function settle(engine: RemoteEngine, id: string, total: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const stats = await engine.relayStats(id);
    if (stats?.outputs.every((o) => o.packets + o.sendErrors >= BigInt(total)) || Date.now() > deadline) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// GSO batches the socket path's sends. On eBPF the program redirects each datagram by itself in
// the receive softirq, so nothing leaves as a super-datagram: the same stream must still arrive
// exactly once, in order, with its sizes, and gsoDatagrams stays 0.
const sendsWithGso = !onEbpf();

test('mixed sizes, empty datagrams included, arrive exactly once with their sizes through GSO', async () => {
  const id = await engine.addRelay({
    name: 'gso-mixed',
    input: { interface: 'in0', group: '239.1.7.1', port: 5070 },
    outputs: [
      { interface: 'out0', group: '239.2.7.1', port: 6070 },
      { interface: 'out0', group: '239.2.7.2', port: 6071, ttl: 'inherit' },
    ],
  });
  const plainSink = await startSink('239.2.7.1', 6070);
  const inheritSink = await startSink('239.2.7.2', 6071);
  const sent = await generate('239.1.7.1', 5070);
  const total = ROUND_SIZES.length * ROUNDS;
  expect(sent).toBe(total);
  await settle(engine, id, total);
  await new Promise((resolve) => setTimeout(resolve, 300)); // the last datagrams reach the sinks
  const expected = expectedStream();
  expect(await plainSink()).toEqual(expected);
  expect(await inheritSink()).toEqual(expected);

  const stats = await engine.relayStats(id);
  expect(stats?.packetsIn).toBe(BigInt(total));
  for (const out of stats?.outputs ?? []) {
    expect(out.packets).toBe(BigInt(total));
    expect(out.sendErrors).toBe(0n);
    expect(out.gsoFallbacks).toBe(0n);
    if (sendsWithGso) {
      expect(out.gsoDatagrams).toBeGreaterThan(0n); // the runs did leave as super-datagrams
      expect(out.gsoDatagrams).toBeLessThanOrEqual(BigInt(total - 3 * ROUNDS)); // never the empty ones
    } else {
      expect(out.gsoDatagrams).toBe(0n);
    }
  }
  await engine.removeRelay(id);
});

test('with gso: false every datagram goes on its own and still arrives exactly once', async () => {
  const plainEngine = await RemoteEngine.start(topo.relay, { gso: false });
  try {
    const id = await plainEngine.addRelay({
      name: 'gso-off',
      input: { interface: 'in0', group: '239.1.7.3', port: 5072 },
      outputs: [{ interface: 'out0', group: '239.2.7.3', port: 6072 }],
    });
    const sink = await startSink('239.2.7.3', 6072);
    const total = ROUND_SIZES.length * ROUNDS;
    expect(await generate('239.1.7.3', 5072)).toBe(total);
    await settle(plainEngine, id, total);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await sink()).toEqual(expectedStream());
    const stats = await plainEngine.relayStats(id);
    expect(stats?.outputs[0]).toMatchObject({ packets: BigInt(total), gsoDatagrams: 0n, gsoFallbacks: 0n });
  } finally {
    await plainEngine.close().catch(() => plainEngine.kill());
  }
});

test('speed options are checked and name the field', () => {
  const refused = (options: EngineOptions, field: string): void => {
    let caught: unknown;
    try {
      new Engine(options).close();
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(EngineError);
    expect((caught as EngineError).field).toBe(field);
  };
  refused({ gso: 'yes' as unknown as boolean }, 'gso');
  refused({ cpus: [0, -1] }, 'cpus[1]');
  refused({ cpus: 3 as unknown as number[] }, 'cpus');
  refused({ realtimePriority: 100 }, 'realtimePriority');
  refused({ cpus: [1023] }, 'cpus[0]'); // valid number, no such CPU: the kernel says EINVAL
  const engine = new Engine({ cpus: [0], realtimePriority: 1 });
  expect(engine.options).toMatchObject({ gso: true, cpus: [0], realtimePriority: 1 });
  engine.close();
});
