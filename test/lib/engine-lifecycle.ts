// Creates and closes Engines with a loopback relay and traffic, N times, in this process; run
// by the lifecycle suite under valgrind (leaks) and bare (RSS growth). Compiled to test/dist.
//   node engine-lifecycle.js CYCLES [RSS_REPORT_EVERY]
// Prints one JSON line at the end: { cycles, forwarded, rssBytes: [...] }.
import { createSocket, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { Engine } from '@mcr/engine';

const DATAGRAMS_PER_CYCLE = 4;
const FORWARD_TIMEOUT_MS = 2_000;

async function boundSocket(): Promise<{ socket: Socket; port: number }> {
  const socket = createSocket('udp4');
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return { socket, port: socket.address().port };
}

async function freePort(): Promise<number> {
  const { socket, port } = await boundSocket();
  await new Promise<void>((resolve) => socket.close(() => resolve()));
  return port;
}

async function cycle(sender: Socket, outputPort: number, received: () => number): Promise<number> {
  // On sockets in the eBPF pass too (MCR_E2E_DATAPATH): the loopback relay cannot run on eBPF, and
  // loading the program in each of 6,000 engines outlasts the RSS case's time limit. Tried: 40 eBPF
  // engines under valgrind lose nothing; valgrind reports only libbpf's partly set bpf() attributes.
  const engine = new Engine({ workers: 1, batchSize: 8, bufferSize: 2048, socketBufferBytes: 65_536 });
  const events: unknown[] = [];
  engine.on('event', (event) => events.push(event));
  try {
    const ingressPort = await freePort();
    engine.addRelay({
      name: 'lifecycle',
      input: { interface: 'lo', group: '127.0.0.1', port: ingressPort },
      outputs: [{ interface: 'lo', group: '127.0.0.1', port: outputPort }],
    });
    const before = received();
    for (let i = 0; i < DATAGRAMS_PER_CYCLE; ++i) sender.send(Buffer.from(`seq:${i}`), ingressPort, '127.0.0.1');
    const deadline = Date.now() + FORWARD_TIMEOUT_MS;
    while (received() - before < DATAGRAMS_PER_CYCLE && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    engine.stats(); // exercise the counters snapshot conversion too
    return received() - before;
  } finally {
    engine.close();
  }
}

async function main(): Promise<void> {
  const cycles = Number(process.argv[2] ?? '10');
  const reportEvery = Number(process.argv[3] ?? '0');
  if (!Number.isInteger(cycles) || cycles < 1)
    throw new Error(`CYCLES must be a positive integer, got ${process.argv[2]}`);
  const output = await boundSocket();
  let count = 0;
  output.socket.on('message', () => ++count);
  const sender = createSocket('udp4');
  let forwarded = 0;
  const rssBytes: number[] = [];
  for (let i = 1; i <= cycles; ++i) {
    forwarded += await cycle(sender, output.port, () => count);
    if (reportEvery > 0 && i % reportEvery === 0) {
      (globalThis as { gc?: () => void }).gc?.();
      rssBytes.push(process.memoryUsage().rss);
    }
  }
  sender.close();
  output.socket.close();
  process.stdout.write(`${JSON.stringify({ cycles, forwarded, rssBytes })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exitCode = 1;
});
