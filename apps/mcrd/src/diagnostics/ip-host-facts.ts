// HostFacts read from the running host: `ip -j` (netlink, so policy routing and both families
// are the kernel's own answer) and /proc. One snapshot costs four `ip` processes whatever the
// number of relays: links, neighbours, and one batch of `route get` per kind of lookup.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { canonicalAddress } from '@mcr/model';
import {
  routeViaKey,
  type HostFacts,
  type HostQuery,
  type HostSnapshot,
  type LinkFact,
  type NeighbourFact,
  type RouteFact,
} from './host-facts';

type Json = Record<string, unknown>;

const DOWN_OPERSTATES = new Set(['DOWN', 'LOWERLAYERDOWN', 'NOTPRESENT']);

export interface IpHostFactsPaths {
  ip: string;
  procSys: string;
  netstat: string;
}

const DEFAULT_PATHS: IpHostFactsPaths = {
  ip: 'ip',
  procSys: '/proc/sys/net/ipv4/conf',
  netstat: '/proc/net/netstat',
};

/** Runs `ip`, with `input` (a -batch) on stdin; its stdout even when some batch lines failed (-force). */
function runIp(ip: string, args: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(ip, args, { stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'ignore'] });
    let stdout = '';
    child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => resolve(stdout));
    if (child.stdin !== null) {
      // An `ip` that exits early (not installed as expected) closes the pipe; 'close' still answers.
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** Every JSON array `ip -j` printed (one per line, one per batch command that succeeded). */
function jsonLines(text: string): Json[] {
  return text
    .split('\n')
    .filter((line) => line.startsWith('['))
    .flatMap((line) => JSON.parse(line) as Json[]);
}

function toRoute(entry: Json): RouteFact {
  const device = String(entry.dev ?? '');
  return typeof entry.gateway === 'string' ? { device, gateway: canonicalAddress(entry.gateway) } : { device };
}

export class IpHostFacts implements HostFacts {
  constructor(private readonly paths: IpHostFactsPaths = DEFAULT_PATHS) {}

  async snapshot(query: HostQuery): Promise<HostSnapshot> {
    const [links, neighbours, routesBack, routesVia, rpFilter, reversePathFilterDrops] = await Promise.all([
      this.links(),
      this.neighbours(),
      this.routesBack(query.routesBack),
      this.routesVia(query.routesVia),
      this.rpFilter(query.rpFilterDevices),
      this.reversePathFilterDrops(),
    ]);
    return { links, neighbours, routesBack, routesVia, rpFilter, reversePathFilterDrops };
  }

  private async links(): Promise<Map<string, LinkFact>> {
    const entries = jsonLines(await runIp(this.paths.ip, ['-j', 'link', 'show']));
    return new Map(
      entries.map((entry) => {
        const flags = Array.isArray(entry.flags) ? (entry.flags as string[]) : [];
        const up = flags.includes('UP') && !DOWN_OPERSTATES.has(String(entry.operstate));
        return [String(entry.ifname), { up }];
      }),
    );
  }

  private async neighbours(): Promise<NeighbourFact[]> {
    const entries = jsonLines(await runIp(this.paths.ip, ['-j', 'neigh', 'show']));
    return entries.map((entry) => ({
      address: canonicalAddress(String(entry.dst)),
      device: String(entry.dev),
      states: Array.isArray(entry.state) ? (entry.state as string[]) : [],
    }));
  }

  /** `route get` answers name the destination they were asked about, so failed lines just lack one. */
  private async routesBack(addresses: readonly string[]): Promise<Map<string, RouteFact>> {
    const unique = [...new Set(addresses)];
    if (unique.length === 0) return new Map();
    const batch = unique.map((address) => `route get ${address}\n`).join('');
    const entries = jsonLines(await runIp(this.paths.ip, ['-j', '-force', '-batch', '-'], batch));
    return new Map(entries.map((entry) => [canonicalAddress(String(entry.dst)), toRoute(entry)]));
  }

  private async routesVia(lookups: HostQuery['routesVia']): Promise<Map<string, RouteFact>> {
    const unique = [...new Map(lookups.map((l) => [routeViaKey(l.address, l.device), l])).values()];
    if (unique.length === 0) return new Map();
    const batch = unique.map(({ address, device }) => `route get ${address} oif ${device}\n`).join('');
    const entries = jsonLines(await runIp(this.paths.ip, ['-j', '-force', '-batch', '-'], batch));
    return new Map(
      entries.map((entry) => [routeViaKey(canonicalAddress(String(entry.dst)), String(entry.dev)), toRoute(entry)]),
    );
  }

  private async rpFilter(devices: readonly string[]): Promise<Map<string, number>> {
    const all = await this.readSysctl('all');
    const unique = [...new Set(devices)];
    const values = await Promise.all(unique.map((device) => this.readSysctl(device)));
    return new Map(unique.map((device, i) => [device, Math.max(all, values[i])]));
  }

  private async readSysctl(device: string): Promise<number> {
    try {
      return Number((await readFile(`${this.paths.procSys}/${device}/rp_filter`, 'utf8')).trim()) || 0;
    } catch {
      return 0; // no such interface: the link check reports it
    }
  }

  /** /proc/net/netstat: pairs of lines, "TcpExt: <names>" then "TcpExt: <values>". */
  private async reversePathFilterDrops(): Promise<number | undefined> {
    let text: string;
    try {
      text = await readFile(this.paths.netstat, 'utf8');
    } catch {
      return undefined;
    }
    const lines = text.split('\n').filter((line) => line.startsWith('TcpExt:'));
    if (lines.length < 2) return undefined;
    const names = lines[0].split(/\s+/);
    const values = lines[1].split(/\s+/);
    const index = names.indexOf('IPReversePathFilter');
    return index < 0 ? undefined : Number(values[index]);
  }
}
