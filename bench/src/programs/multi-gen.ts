// Traffic for the many-relays scenario: one datagram stream per relay ingress, each at a low rate,
// with the MCR header mcrsink understands (stream id = relay index). mcrgen sends one stream only.
// usage: node multi-gen.js CONFIG.json   (prints {"sent":N,"errors":N,"elapsed_s":S})
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import type { Endpoint } from '../relays/relay';

interface MultiGenConfig {
  targets: Endpoint[];
  ppsEach: number;
  durationS: number;
  sizeBytes: number;
  bindAddress: string;
  ttl: number;
}

const TICK_MS = 5;
const MCR_MAGIC = 0x3152434d;
const HEADER_BYTES = 24;

function payload(size: number, stream: number, seq: bigint): Buffer {
  const buf = Buffer.alloc(Math.max(size, HEADER_BYTES));
  buf.writeUInt32LE(MCR_MAGIC, 0);
  buf.writeUInt32LE(stream, 4);
  buf.writeBigUInt64LE(seq, 8);
  buf.writeBigInt64LE(BigInt(Date.now()) * 1000000n, 16);
  return buf;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: multi-gen.js CONFIG.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as MultiGenConfig;
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind({ address: config.bindAddress, port: 0 }, resolve));
  socket.setMulticastInterface(config.bindAddress);
  socket.setMulticastTTL(config.ttl);
  socket.setMulticastLoopback(false);
  const total = Math.round(config.targets.length * config.ppsEach * config.durationS);
  const totalRate = config.targets.length * config.ppsEach;
  const seqs = new Array<bigint>(config.targets.length).fill(0n);
  let queued = 0;
  let completed = 0;
  let errors = 0;
  const startedAt = process.hrtime.bigint();
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const elapsedS = Number(process.hrtime.bigint() - startedAt) / 1e9;
      const due = Math.min(total, Math.floor(elapsedS * totalRate));
      // Round-robin over the ingresses, so each relay sees its own steady ppsEach.
      for (; queued < due; queued += 1) {
        const index = queued % config.targets.length;
        const target = config.targets[index];
        socket.send(payload(config.sizeBytes, index, seqs[index]), target.port, target.group, (error) => {
          completed += 1;
          if (error) errors += 1;
          if (completed === total) resolve();
        });
        seqs[index] += 1n;
      }
      if (queued < total) setTimeout(tick, TICK_MS);
    };
    tick();
  });
  const elapsed = Number(process.hrtime.bigint() - startedAt) / 1e9;
  socket.close();
  process.stdout.write(`${JSON.stringify({ sent: total - errors, errors, elapsed_s: elapsed })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`multi-gen: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
