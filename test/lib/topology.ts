// The standard relay topology: a generator host, a relay host, a sink host, joined by veth pairs
// in namespaces this test creates, plus a management link from the test process to the relay.
//
//   gen  gen0 10.77.1.2/24  fd77:1::2/64 ---- in0  10.77.1.1/24 fd77:1::1/64  relay
//   gen  gen1 10.77.4.2/24  fd77:4::2/64 ---- in1  10.77.4.1/24 fd77:4::1/64  relay
//   sink sink0 10.77.2.2/24 fd77:2::2/64 ---- out0 10.77.2.1/24 fd77:2::1/64  relay
//   sink sink1 10.77.3.2/24 fd77:3::2/64 ---- out1 10.77.3.1/24 fd77:3::1/64  relay
//   root mcrmN a free /30 in 10.77.248.0/22 ---- mgmt (.2 of that /30)        relay
import { NetNs, run } from './netns';

interface LinkPlan {
  a: [host: 'gen' | 'relay' | 'sink', ifname: string, v4: string, v6: string];
  b: [host: 'gen' | 'relay' | 'sink', ifname: string, v4: string, v6: string];
}

const LINKS: LinkPlan[] = [
  { a: ['gen', 'gen0', '10.77.1.2/24', 'fd77:1::2/64'], b: ['relay', 'in0', '10.77.1.1/24', 'fd77:1::1/64'] },
  { a: ['gen', 'gen1', '10.77.4.2/24', 'fd77:4::2/64'], b: ['relay', 'in1', '10.77.4.1/24', 'fd77:4::1/64'] },
  { a: ['sink', 'sink0', '10.77.2.2/24', 'fd77:2::2/64'], b: ['relay', 'out0', '10.77.2.1/24', 'fd77:2::1/64'] },
  { a: ['sink', 'sink1', '10.77.3.2/24', 'fd77:3::2/64'], b: ['relay', 'out1', '10.77.3.1/24', 'fd77:3::1/64'] },
];

// Jest gives every test file its own module registry, so the counter restarts per file; the
// time suffix keeps interface and namespace names unique within one process anyway.
let topologyCount = 0;

export const TEST_MTU = 9000;

export interface Topology {
  gen: NetNs;
  relay: NetNs;
  sink: NetNs;
  /** Address of the relay namespace on the management link, reachable from the test process. */
  relayMgmtAddress: string;
  destroy(): Promise<void>;
}

async function addAddresses(ns: NetNs, ifname: string, v4: string, v6: string): Promise<void> {
  await ns.ip('addr', 'add', v4, 'dev', ifname);
  await ns.ip('addr', 'add', v6, 'dev', ifname, 'nodad');
  // Jumbo frames, so 8972-byte datagrams (9000-byte MTU) cross unfragmented.
  await ns.ip('link', 'set', ifname, 'mtu', String(TEST_MTU), 'up');
}

async function configureHost(ns: NetNs): Promise<void> {
  // Reverse-path filtering would drop the test's multicast on multi-homed hosts.
  await ns.sysctl('net.ipv4.conf.all.rp_filter', '0');
  await ns.sysctl('net.ipv4.conf.default.rp_filter', '0');
  // Room for a 200,000-packet stream at full speed without socket-buffer drops.
  await ns.sysctl('net.core.rmem_max', '8388608');
  await ns.sysctl('net.core.wmem_max', '8388608');
}

/** Waits until every named link of `ns` reports operstate UP (veth carrier is up only once both
 * ends are): until then the kernel drops what is sent, and a stream would start with a loss. */
export async function waitLinksUp(ns: NetNs, ifnames: string[], timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const links = JSON.parse((await ns.ip('-j', 'link', 'show')).stdout) as Array<{
      ifname: string;
      operstate: string;
    }>;
    const down = ifnames.filter((name) => links.find((link) => link.ifname === name)?.operstate !== 'UP');
    if (down.length === 0) return;
    if (Date.now() > deadline) throw new Error(`links ${down.join(', ')} in ${ns.name} not up after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Management /30s live in 10.77.248.0/22, in the root namespace; several test processes (and
 * the suites of several developers) may run at once, so pick one no interface holds yet. */
async function freeManagementSubnet(): Promise<string> {
  const used = (await run('ip', ['-4', '-o', 'addr', 'show'])).stdout;
  const start = process.pid % 256;
  for (let i = 0; i < 256; i++) {
    const k = (start + i) % 256;
    const prefix = `10.77.${248 + Math.floor(k / 64)}.${4 * (k % 64)}`;
    const [a, b, c, d] = prefix.split('.').map(Number);
    const first = `${a}.${b}.${c}.${d + 1}/`;
    if (!used.includes(` ${first}`)) return prefix;
  }
  throw new Error('no free management subnet in 10.77.248.0/22');
}

/** A veth from the root namespace to `relay` (named mgmt there) on a free /30, for HTTP to its mcrd. */
export async function addManagementLink(
  relay: NetNs,
  index: number,
): Promise<{ rootIf: string; relayAddress: string }> {
  const rootIf = `mcrm${process.pid % 10000}x${index}`.slice(0, 15);
  await run('ip', ['link', 'del', rootIf], { allowFailure: true });
  const subnet = await freeManagementSubnet();
  const [a, b, c, d] = subnet.split('.').map(Number);
  const rootAddress = `${a}.${b}.${c}.${d + 1}`;
  const relayAddress = `${a}.${b}.${c}.${d + 2}`;
  await run('ip', ['link', 'add', rootIf, 'type', 'veth', 'peer', 'name', 'mgmt', 'netns', relay.name]);
  await run('ip', ['addr', 'add', `${rootAddress}/30`, 'dev', rootIf]);
  await run('ip', ['link', 'set', rootIf, 'up']);
  await relay.ip('addr', 'add', `${relayAddress}/30`, 'dev', 'mgmt');
  await relay.ip('link', 'set', 'mgmt', 'up');
  return { rootIf, relayAddress };
}

/** Builds the standard topology; destroy() removes every namespace and link it made. */
export async function createRelayTopology(tag = 'e2e'): Promise<Topology> {
  const index = ++topologyCount + (Date.now() % 1000) * 10;
  const prefix = `mcr-${tag}-${process.pid}-${index}`;
  const hosts = {
    gen: await NetNs.create(`${prefix}-gen`),
    relay: await NetNs.create(`${prefix}-relay`),
    sink: await NetNs.create(`${prefix}-sink`),
  };
  let rootIf = '';
  const destroy = async (): Promise<void> => {
    if (rootIf) await run('ip', ['link', 'del', rootIf], { allowFailure: true });
    await Promise.all(Object.values(hosts).map((ns) => ns.destroy()));
  };
  try {
    for (const ns of Object.values(hosts)) await configureHost(ns);
    for (const { a, b } of LINKS) {
      await run('ip', [
        'link',
        'add',
        a[1],
        'netns',
        hosts[a[0]].name,
        'type',
        'veth',
        'peer',
        'name',
        b[1],
        'netns',
        hosts[b[0]].name,
      ]);
      await addAddresses(hosts[a[0]], a[1], a[2], a[3]);
      await addAddresses(hosts[b[0]], b[1], b[2], b[3]);
    }
    const mgmt = await addManagementLink(hosts.relay, index);
    rootIf = mgmt.rootIf;
    for (const host of ['gen', 'relay', 'sink'] as const) {
      const ifnames = LINKS.flatMap(({ a, b }) => [a, b])
        .filter(([h]) => h === host)
        .map(([, ifname]) => ifname);
      await waitLinksUp(hosts[host], host === 'relay' ? [...ifnames, 'mgmt'] : ifnames);
    }
    return { ...hosts, relayMgmtAddress: mgmt.relayAddress, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
