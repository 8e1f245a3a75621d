// The standard relay topology: a generator host, a relay host, a sink host, joined by veth pairs
// in namespaces this test creates, plus a management link from the test process to the relay.
//
//   gen  gen0 10.77.1.2/24  fd77:1::2/64 ---- in0  10.77.1.1/24 fd77:1::1/64  relay
//   gen  gen1 10.77.4.2/24  fd77:4::2/64 ---- in1  10.77.4.1/24 fd77:4::1/64  relay
//   sink sink0 10.77.2.2/24 fd77:2::2/64 ---- out0 10.77.2.1/24 fd77:2::1/64  relay
//   sink sink1 10.77.3.2/24 fd77:3::2/64 ---- out1 10.77.3.1/24 fd77:3::1/64  relay
//   root mcrmN 10.77.250.(4k+1)/30       ---- mgmt 10.77.250.(4k+2)/30        relay
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

async function addManagementLink(relay: NetNs, index: number): Promise<{ rootIf: string; relayAddress: string }> {
  const rootIf = `mcrm${process.pid % 10000}x${index}`.slice(0, 15);
  const base = 4 * (index % 60);
  await run('ip', ['link', 'del', rootIf], { allowFailure: true });
  await run('ip', ['link', 'add', rootIf, 'type', 'veth', 'peer', 'name', 'mgmt', 'netns', relay.name]);
  await run('ip', ['addr', 'add', `10.77.250.${base + 1}/30`, 'dev', rootIf]);
  await run('ip', ['link', 'set', rootIf, 'up']);
  await relay.ip('addr', 'add', `10.77.250.${base + 2}/30`, 'dev', 'mgmt');
  await relay.ip('link', 'set', 'mgmt', 'up');
  return { rootIf, relayAddress: `10.77.250.${base + 2}` };
}

/** Builds the standard topology; destroy() removes every namespace and link it made. */
export async function createRelayTopology(tag = 'e2e'): Promise<Topology> {
  const index = ++topologyCount;
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
      await run('ip', ['link', 'add', a[1], 'netns', hosts[a[0]].name, 'type', 'veth', 'peer', 'name', b[1], 'netns', hosts[b[0]].name]);
      await addAddresses(hosts[a[0]], a[1], a[2], a[3]);
      await addAddresses(hosts[b[0]], b[1], b[2], b[3]);
    }
    const mgmt = await addManagementLink(hosts.relay, index);
    rootIf = mgmt.rootIf;
    return { ...hosts, relayMgmtAddress: mgmt.relayAddress, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
