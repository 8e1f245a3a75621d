// The benchmark's network: generator ns -> (gen0|in0) -> relay ns -> (out0|sink0) -> sink ns,
// with CPU pinning and RPS so the relay's receive work lands on the relay's own CPU.
import { readdir } from 'node:fs/promises';
import { run } from './proc';

export const NS_PREFIX = 'mcrb-';
export const GEN_NS = `${NS_PREFIX}gen`;
export const RELAY_NS = `${NS_PREFIX}relay`;
export const SINK_NS = `${NS_PREFIX}sink`;

/** Addresses live only inside the namespaces built here; nothing is ever sent elsewhere. */
export const ADDR = {
  gen: '10.78.1.1',
  relayIn: '10.78.1.2',
  relayOut: '10.78.2.1',
  sink: '10.78.2.2',
} as const;

export const IF = { gen: 'gen0', relayIn: 'in0', relayOut: 'out0', sink: 'sink0' } as const;

/** CPU 0 carries the generator and the sink, CPU 1 the relay (process and receive softirq). */
export const PINNING = { trafficCpu: 0, relayCpu: 1 } as const;

const cpuMask = (cpu: number): string => (1 << cpu).toString(16);

export function nsExec(ns: string, cmd: string, args: string[]): [string, string[]] {
  return ['ip', ['netns', 'exec', ns, cmd, ...args]];
}

/** `ip netns exec NS taskset -c CPU CMD ARGS`: the spawned pid is CMD's own. */
export function pinnedInNs(ns: string, cpu: number, cmd: string, args: string[]): [string, string[]] {
  return nsExec(ns, 'taskset', ['-c', String(cpu), cmd, ...args]);
}

async function nsRun(ns: string, cmd: string, args: string[]): Promise<string> {
  const [c, a] = nsExec(ns, cmd, args);
  return (await run(c, a)).stdout;
}

/** Removes namespaces left by an earlier run that was killed before it could clean up. */
export async function removeStaleNamespaces(): Promise<string[]> {
  const names = await listBenchNamespaces();
  for (const name of names) await removeNamespace(name);
  return names;
}

async function listBenchNamespaces(): Promise<string[]> {
  try {
    return (await readdir('/run/netns')).filter((name) => name.startsWith(NS_PREFIX));
  } catch {
    return [];
  }
}

async function removeNamespace(name: string): Promise<void> {
  const pids = await run('ip', ['netns', 'pids', name], { allowFailure: true });
  for (const pid of pids.stdout.split(/\s+/).filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
  }
  await run('ip', ['netns', 'del', name], { allowFailure: true });
}

export async function destroyTopology(): Promise<void> {
  for (const name of await listBenchNamespaces()) await removeNamespace(name);
}

async function writeSys(ns: string, file: string, value: string): Promise<void> {
  await nsRun(ns, 'sh', ['-c', `echo ${value} > ${file}`]);
}

async function sysctl(ns: string, key: string, value: string): Promise<void> {
  await nsRun(ns, 'sysctl', ['-qw', `${key}=${value}`]);
}

async function createNamespace(name: string): Promise<void> {
  try {
    await run('ip', ['netns', 'add', name]);
  } catch (error) {
    throw new Error(`cannot create network namespace ${name} (the benchmark needs root): ${String(error)}`);
  }
  await run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  // No IPv6 on the legs: router solicitations and MLD would add stray datagrams to the counters.
  await sysctl(name, 'net.ipv6.conf.all.disable_ipv6', '1');
  await sysctl(name, 'net.ipv6.conf.default.disable_ipv6', '1');
}

async function addLeg(nsA: string, ifA: string, addrA: string, nsB: string, ifB: string, addrB: string): Promise<void> {
  await run('ip', ['-n', nsA, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
  for (const [ns, ifName, addr] of [
    [nsA, ifA, addrA],
    [nsB, ifB, addrB],
  ] as const) {
    await run('ip', ['-n', ns, 'addr', 'add', `${addr}/24`, 'dev', ifName]);
    await run('ip', ['-n', ns, 'link', 'set', ifName, 'up']);
  }
}

/** Receive processing of each device goes to the CPU of the process that consumes it. */
async function steerReceive(): Promise<void> {
  const rx = (ifName: string) => `/sys/class/net/${ifName}/queues/rx-0/rps_cpus`;
  await writeSys(RELAY_NS, rx(IF.relayIn), cpuMask(PINNING.relayCpu));
  await writeSys(RELAY_NS, rx(IF.relayOut), cpuMask(PINNING.relayCpu));
  await writeSys(SINK_NS, rx(IF.sink), cpuMask(PINNING.trafficCpu));
  await writeSys(GEN_NS, rx(IF.gen), cpuMask(PINNING.trafficCpu));
}

export async function buildTopology(): Promise<void> {
  for (const ns of [GEN_NS, RELAY_NS, SINK_NS]) await createNamespace(ns);
  await addLeg(GEN_NS, IF.gen, ADDR.gen, RELAY_NS, IF.relayIn, ADDR.relayIn);
  await addLeg(RELAY_NS, IF.relayOut, ADDR.relayOut, SINK_NS, IF.sink, ADDR.sink);
  // Multicast without an explicit interface follows the default route: keep it on the legs.
  await run('ip', ['-n', GEN_NS, 'route', 'add', '224.0.0.0/4', 'dev', IF.gen]);
  await run('ip', ['-n', SINK_NS, 'route', 'add', '224.0.0.0/4', 'dev', IF.sink]);
  await run('ip', ['-n', RELAY_NS, 'route', 'add', '224.0.0.0/4', 'dev', IF.relayOut]);
  // A relay using UDP GSO hands veth one skb per batch, and veth counts skbs. Without the offload
  // the stack segments in software before the leg (on the relay CPU, as for most real NICs), so
  // the sink leg's packet counter counts datagrams, as a wire would.
  await nsRun(RELAY_NS, 'ethtool', ['-K', IF.relayOut, 'tx-udp-segmentation', 'off']);
  // mcrgen sends UDP GSO bursts (trial.ts): segmented in software on gen0, so the relay receives
  // one packet per datagram, as from a wire, while the generator pays one socket-layer trip per burst.
  await nsRun(GEN_NS, 'ethtool', ['-K', IF.gen, 'tx-udp-segmentation', 'off']);
  await sysctl(RELAY_NS, 'net.ipv4.ip_forward', '1');
  for (const ifName of ['all', IF.relayIn, IF.relayOut])
    await sysctl(RELAY_NS, `net.ipv4.conf.${ifName}.rp_filter`, '0');
  await steerReceive();
}

/** Datagrams the sink leg has accepted from the relay (veth counts them as it hands them over). */
export async function sinkRxPackets(): Promise<number> {
  const text = await nsRun(SINK_NS, 'cat', [`/sys/class/net/${IF.sink}/statistics/rx_packets`]);
  return Number(text.trim());
}

/** Reads a /proc file as seen from inside a namespace (/proc/net is per namespace). */
export function readInNs(ns: string, file: string): Promise<string> {
  return nsRun(ns, 'cat', [file]);
}
