// Where a window lost datagrams: the relay CPU's input backlog (RPS queues there; it holds
// net.core.netdev_max_backlog packets) or the relay's UDP receive buffers. Both are kernel counters
// read before and after each window; the sink's own socket drops come from mcrsink.
import { readFileSync } from 'node:fs';
import { readInNs, RELAY_NS } from './topology';

export interface DropCounters {
  /** Packets the relay CPU's backlog refused (/proc/net/softnet_stat, second column). */
  backlog: number;
  /** Datagrams the relay namespace's UDP sockets refused for a full receive buffer. */
  relaySocket: number;
}

/** The `dropped` column of one CPU's softnet_stat line (hexadecimal; the CPU id is column 13 where present). */
export function parseBacklogDrops(softnetStat: string, cpu: number): number {
  const rows = softnetStat
    .trim()
    .split('\n')
    .map((line) => line.trim().split(/\s+/));
  const row = rows.find((fields) => fields.length > 12 && parseInt(fields[12], 16) === cpu) ?? rows[cpu];
  return row ? parseInt(row[1], 16) : 0;
}

/** `RcvbufErrors` of the `Udp:` lines of /proc/net/snmp (a header line, then a value line). */
export function parseUdpRcvbufErrors(snmp: string): number {
  const [header, values] = snmp.split('\n').filter((line) => line.startsWith('Udp: '));
  if (!header || !values) return 0;
  const index = header.split(/\s+/).indexOf('RcvbufErrors');
  return index > 0 ? Number(values.split(/\s+/)[index]) || 0 : 0;
}

export async function readDropCounters(relayCpu: number): Promise<DropCounters> {
  return {
    backlog: parseBacklogDrops(readFileSync('/proc/net/softnet_stat', 'utf8'), relayCpu),
    relaySocket: parseUdpRcvbufErrors(await readInNs(RELAY_NS, '/proc/net/snmp')),
  };
}

export function dropsBetween(before: DropCounters, after: DropCounters): DropCounters {
  return { backlog: after.backlog - before.backlog, relaySocket: after.relaySocket - before.relaySocket };
}
