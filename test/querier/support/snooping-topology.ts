// A relay whose output segment is a Linux bridge with IGMP/MLD snooping on and its own querier
// off, as a studio or lab switch with no multicast router, with short timers (centiseconds):
//
//   gen  gen0 10.80.1.2/24 fd80:1::2/64 ---- in0  10.80.1.1/24  fd80:1::1/64  relay (mcrd)
//   relay out0 10.80.2.10/24 fd80:2::10/64 --- pr ┐
//   hostA a0   10.80.2.20/24 fd80:2::20/64 --- pa ├ br0 (sw; 10.80.2.5 for its own querier)
//   hostB b0   10.80.2.30/24 fd80:2::30/64 --- pb ┘
//   root mcrmN ---- mgmt                                                     relay
import { addManagementLink, NetNs, run, waitLinksUp } from '../../lib';

export interface SnoopingTopology {
  gen: NetNs;
  relay: NetNs;
  sw: NetNs;
  hostA: NetNs;
  hostB: NetNs;
  relayMgmtAddress: string;
  destroy(): Promise<void>;
}

/** Bridge timers in centiseconds: a membership lives 3 s, a heard querier counts for 3 s. */
export const BRIDGE_TIMERS = {
  mcast_membership_interval: '300',
  mcast_querier_interval: '300',
  mcast_query_interval: '100',
  mcast_query_response_interval: '50',
  mcast_startup_query_interval: '25',
  mcast_last_member_interval: '50',
};

let count = 0;

async function configureHost(ns: NetNs): Promise<void> {
  await ns.sysctl('net.ipv4.conf.all.rp_filter', '0');
  await ns.sysctl('net.ipv4.conf.default.rp_filter', '0');
  // Link-local addresses usable at once: MLD needs one, and DAD would hold it back for a second.
  await ns.sysctl('net.ipv6.conf.all.accept_dad', '0');
  await ns.sysctl('net.ipv6.conf.default.accept_dad', '0');
}

async function link(a: NetNs, aName: string, b: NetNs, bName: string): Promise<void> {
  await run('ip', ['link', 'add', aName, 'netns', a.name, 'type', 'veth', 'peer', 'name', bName, 'netns', b.name]);
}

async function host(ns: NetNs, ifname: string, v4: string, v6: string): Promise<void> {
  await ns.ip('addr', 'add', v4, 'dev', ifname);
  await ns.ip('addr', 'add', v6, 'dev', ifname, 'nodad');
  await ns.ip('link', 'set', ifname, 'up');
}

export async function createSnoopingTopology(): Promise<SnoopingTopology> {
  const prefix = `mcr-q-${process.pid}-${++count}`;
  const hosts = {
    gen: await NetNs.create(`${prefix}-gen`),
    relay: await NetNs.create(`${prefix}-relay`),
    sw: await NetNs.create(`${prefix}-sw`),
    hostA: await NetNs.create(`${prefix}-a`),
    hostB: await NetNs.create(`${prefix}-b`),
  };
  let rootIf = '';
  const destroy = async (): Promise<void> => {
    if (rootIf) await run('ip', ['link', 'del', rootIf], { allowFailure: true });
    await Promise.all(Object.values(hosts).map((ns) => ns.destroy()));
  };
  try {
    const { gen, relay, sw, hostA, hostB } = hosts;
    for (const ns of Object.values(hosts)) await configureHost(ns);
    const timers = Object.entries(BRIDGE_TIMERS).flat();
    await sw.ip('link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '1', 'mcast_querier', '0', ...timers);
    await sw.ip('link', 'set', 'br0', 'type', 'bridge', 'mcast_query_use_ifaddr', '1');
    await sw.ip('addr', 'add', '10.80.2.5/24', 'dev', 'br0');
    await sw.ip('link', 'set', 'br0', 'up');
    await link(gen, 'gen0', relay, 'in0');
    await host(gen, 'gen0', '10.80.1.2/24', 'fd80:1::2/64');
    await host(relay, 'in0', '10.80.1.1/24', 'fd80:1::1/64');
    const ports: Array<[NetNs, string, string, string, string]> = [
      [relay, 'out0', 'pr', '10.80.2.10/24', 'fd80:2::10/64'],
      [hostA, 'a0', 'pa', '10.80.2.20/24', 'fd80:2::20/64'],
      [hostB, 'b0', 'pb', '10.80.2.30/24', 'fd80:2::30/64'],
    ];
    for (const [ns, ifname, port, v4, v6] of ports) {
      await link(ns, ifname, sw, port);
      await host(ns, ifname, v4, v6);
      await sw.ip('link', 'set', port, 'master', 'br0');
      await sw.ip('link', 'set', port, 'up');
    }
    const mgmt = await addManagementLink(relay, 900 + count);
    rootIf = mgmt.rootIf;
    await waitLinksUp(relay, ['in0', 'out0', 'mgmt']);
    await waitLinksUp(hostA, ['a0']);
    await waitLinksUp(hostB, ['b0']);
    await waitLinksUp(sw, ['br0', 'pr', 'pa', 'pb']);
    return { ...hosts, relayMgmtAddress: mgmt.relayAddress, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
