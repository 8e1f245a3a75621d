// Creates and closes Engines N times in this process, each with a relay that is added, forwards,
// is updated (its output moves to another port), forwards again and is removed; run by the
// lifecycle suite under valgrind (leaks) and bare (RSS growth). Compiled to test/dist.
//   node engine-lifecycle.js CYCLES [RSS_REPORT_EVERY]
// The engines run on the pass's datapath (lib/datapath.ts) along its path (lib/lifecycle-paths.ts):
// in the eBPF pass the script must run inside the namespace createVethLoop() made.
// Prints one JSON line at the end: LifecycleReport.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { readdirSync, readlinkSync } from 'node:fs';
import { Engine, type EngineRelaySpec } from '@mcr/engine';
import { onEbpf, withE2eDatapath } from './datapath';
import { DATAGRAMS_PER_PHASE, LOOPBACK_PATH, VETH_LOOP_PATH, type LifecyclePath } from './lifecycle-paths';
import { tcxIngressProgramsHere } from './tcx';

const FORWARD_TIMEOUT_MS = 2_000;
const PATH: LifecyclePath = onEbpf() ? VETH_LOOP_PATH : LOOPBACK_PATH;

export interface LifecycleReport {
  cycles: number;
  forwarded: number;
  /** Every datapath a relay reported running on (relayStats after add and after update). */
  datapaths: string[];
  rssBytes: number[];
  /** Descriptors open after the last cycle that were not after the first ("fd -> what it is"). */
  fdsOpenedSinceFirstCycle: string[];
  /** Programs on the program interface's tcx ingress (eBPF only): with the relay, once removed, at the end. */
  tcxPrograms?: { withRelay: number; afterRemove: number; afterLastCycle: number };
}

interface Receiver {
  socket: Socket;
  port: number;
  count: number;
}

async function boundSocket(address: string, port = 0): Promise<Socket> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  socket.bind(port, address);
  await once(socket, 'listening');
  return socket;
}

/**
 * A port nothing holds now. Not from boundSocket: with SO_REUSEADDR on both sides the kernel may
 * hand out a port a receiver (also SO_REUSEADDR) is bound to, and the engine's ingress, which does
 * not share, then fails with EADDRINUSE (about one run in two of 6,000 cycles did).
 */
async function freePort(): Promise<number> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  const { port } = socket.address();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

/** A socket counting what arrives on the output group at a free port. */
async function openReceiver(): Promise<Receiver> {
  const port = await freePort();
  const socket = await boundSocket(PATH.receiveOn === undefined ? PATH.output.group : '0.0.0.0', port);
  if (PATH.receiveOn !== undefined) socket.addMembership(PATH.output.group, PATH.receiveOn);
  const receiver = { socket, port, count: 0 };
  socket.on('message', () => ++receiver.count);
  return receiver;
}

async function openSender(): Promise<Socket> {
  const socket = await boundSocket(PATH.sendFrom);
  if (PATH.receiveOn !== undefined) {
    socket.setMulticastInterface(PATH.sendFrom);
    socket.setMulticastLoopback(false);
  }
  return socket;
}

function relaySpec(ingressPort: number, receiver: Receiver): EngineRelaySpec {
  return {
    name: 'lifecycle',
    input: { ...PATH.input, port: ingressPort },
    outputs: [{ ...PATH.output, port: receiver.port }],
  };
}

/** Sends a phase's datagrams to the relay's input; returns how many reached `receiver`. */
async function forwardPhase(sender: Socket, ingressPort: number, receiver: Receiver): Promise<number> {
  const before = receiver.count;
  for (let i = 0; i < DATAGRAMS_PER_PHASE; ++i) sender.send(Buffer.from(`seq:${i}`), ingressPort, PATH.input.group);
  const deadline = Date.now() + FORWARD_TIMEOUT_MS;
  while (receiver.count - before < DATAGRAMS_PER_PHASE && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  return receiver.count - before;
}

const programsOnPath = (): Promise<number> =>
  PATH.programInterface === undefined ? Promise.resolve(0) : tcxIngressProgramsHere(PATH.programInterface);

interface CycleOutcome {
  forwarded: number;
  datapaths: string[];
  tcxWithRelay?: number;
  tcxAfterRemove?: number;
}

async function cycle(
  sender: Socket,
  receivers: [Receiver, Receiver],
  options: { queryTcx: boolean },
): Promise<CycleOutcome> {
  const engine = new Engine(withE2eDatapath({ workers: 1, batchSize: 8, bufferSize: 2048, socketBufferBytes: 65_536 }));
  const outcome: CycleOutcome = { forwarded: 0, datapaths: [] };
  try {
    const ingressPort = await freePort();
    const id = engine.addRelay(relaySpec(ingressPort, receivers[0]));
    outcome.datapaths.push(engine.relayStats(id)?.datapath ?? 'none');
    if (options.queryTcx) outcome.tcxWithRelay = await programsOnPath();
    outcome.forwarded += await forwardPhase(sender, ingressPort, receivers[0]);
    engine.updateRelay(id, relaySpec(ingressPort, receivers[1]));
    outcome.datapaths.push(engine.relayStats(id)?.datapath ?? 'none');
    outcome.forwarded += await forwardPhase(sender, ingressPort, receivers[1]);
    engine.stats(); // exercise the counters snapshot conversion too
    engine.removeRelay(id);
    if (options.queryTcx) outcome.tcxAfterRemove = await programsOnPath();
    return outcome;
  } finally {
    engine.close();
  }
}

/** This process's open descriptors and what each refers to ("socket:[123]", "anon_inode:bpf-prog"). */
function openFds(): Set<string> {
  const fds = new Set<string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      fds.add(`${fd} -> ${readlinkSync(`/proc/self/fd/${fd}`)}`);
    } catch {
      // the descriptor readdir itself used, closed by now
    }
  }
  return fds;
}

async function main(): Promise<void> {
  const cycles = Number(process.argv[2] ?? '10');
  const reportEvery = Number(process.argv[3] ?? '0');
  if (!Number.isInteger(cycles) || cycles < 1)
    throw new Error(`CYCLES must be a positive integer, got ${process.argv[2]}`);
  const receivers: [Receiver, Receiver] = [await openReceiver(), await openReceiver()];
  const sender = await openSender();
  const report: LifecycleReport = {
    cycles,
    forwarded: 0,
    datapaths: [],
    rssBytes: [],
    fdsOpenedSinceFirstCycle: [],
  };
  let fdsAfterFirstCycle = new Set<string>();
  const datapaths = new Set<string>();
  let first: CycleOutcome | undefined;
  for (let i = 1; i <= cycles; ++i) {
    const outcome = await cycle(sender, receivers, { queryTcx: i === 1 });
    first ??= outcome;
    report.forwarded += outcome.forwarded;
    outcome.datapaths.forEach((datapath) => datapaths.add(datapath));
    if (i === 1) fdsAfterFirstCycle = openFds();
    if (reportEvery > 0 && i % reportEvery === 0) {
      (globalThis as { gc?: () => void }).gc?.();
      report.rssBytes.push(process.memoryUsage().rss);
    }
  }
  report.fdsOpenedSinceFirstCycle = [...openFds()].filter((fd) => !fdsAfterFirstCycle.has(fd));
  report.datapaths = [...datapaths].sort();
  if (PATH.programInterface !== undefined) {
    report.tcxPrograms = {
      withRelay: first?.tcxWithRelay ?? -1,
      afterRemove: first?.tcxAfterRemove ?? -1,
      afterLastCycle: await programsOnPath(),
    };
  }
  sender.close();
  receivers.forEach((receiver) => receiver.socket.close());
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  // The sender and receivers are still open and would keep the process waiting forever.
  process.exit(1);
});
