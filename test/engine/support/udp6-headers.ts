// Runs udp6_headers.py on a host's interface: the wire headers and checksum verdicts of the IPv6
// UDP datagrams to one group and port that reach it.
import path from 'node:path';
import { collect, type NetNs } from '../../lib';

const SCRIPT = path.resolve(__dirname, 'udp6_headers.py');

export interface Udp6Headers {
  datagrams: number;
  /** Datagrams whose UDP checksum was left to offload (CHECKSUM_PARTIAL): the pseudo-header sum was checked. */
  partial: number;
  checksums: { right: number; wrong: number };
  payloadBytes: number;
  /** Counts per value seen. */
  destinationMacs: Record<string, number>;
  sources: Record<string, number>;
  hopLimits: Record<string, number>;
  trafficClasses: Record<string, number>;
}

/** Starts reading headers on `ifname` until `count` datagrams or `seconds`; resolves once it reads. */
export async function startUdp6Headers(
  ns: NetNs,
  ifname: string,
  group: string,
  port: number,
  count: number,
  seconds = 20,
): Promise<{ report: Promise<Udp6Headers> }> {
  const child = ns.exec('python3', [SCRIPT, ifname, String(seconds), group, String(port), String(count)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const outcome = collect(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`udp6_headers.py exited ${code} before it was ready`)));
  });
  const report = outcome.then(({ code, stdout, stderr }) => {
    if (code !== 0) throw new Error(`udp6_headers.py exited ${code}: ${stderr}`);
    const lines = stdout.trim().split('\n');
    return JSON.parse(lines[lines.length - 1]) as Udp6Headers;
  });
  return { report };
}
