// A topology whose relay links go through bridges in a switch namespace, so a test can delete
// and recreate the relay's own interface (deleting one end of a veth pair deletes its peer):
//
//   gen  gen0  10.78.1.2/24 --- swg [br-in  in sw] swi --- in0  10.78.1.1/24  relay
//   sink sink0 10.78.2.2/24 --- sws [br-out in sw] swo --- out0 10.78.2.1/24  relay
import { NetNs, run } from './netns';

export interface SwitchedTopology {
  gen: NetNs;
  sw: NetNs;
  relay: NetNs;
  sink: NetNs;
  /** Recreates the relay's ingress interface in0 (a new veth, so a new ifindex) on br-in. */
  recreateIngress(): Promise<void>;
  /** Recreates the relay's output interface out0 on br-out. */
  recreateOutput(): Promise<void>;
  destroy(): Promise<void>;
}

let count = 0;

async function configure(ns: NetNs): Promise<void> {
  // Reverse-path filtering would drop multicast from a source the relay has no route back to.
  await ns.sysctl('net.ipv4.conf.all.rp_filter', '0');
  await ns.sysctl('net.ipv4.conf.default.rp_filter', '0');
}

async function veth(a: NetNs, aName: string, b: NetNs, bName: string): Promise<void> {
  await run('ip', ['link', 'add', aName, 'netns', a.name, 'type', 'veth', 'peer', 'name', bName, 'netns', b.name]);
}

async function hostEnd(ns: NetNs, ifname: string, address: string): Promise<void> {
  await ns.ip('addr', 'add', address, 'dev', ifname);
  await ns.ip('link', 'set', ifname, 'up');
}

async function bridgePort(sw: NetNs, ifname: string, bridge: string): Promise<void> {
  await sw.ip('link', 'set', ifname, 'master', bridge);
  await sw.ip('link', 'set', ifname, 'up');
}

/** Builds the switched topology; destroy() removes every namespace (and with them every link). */
export async function createSwitchedTopology(tag = 'sw'): Promise<SwitchedTopology> {
  const prefix = `mcr-${tag}-${process.pid}-${++count}`;
  const hosts = {
    gen: await NetNs.create(`${prefix}-gen`),
    sw: await NetNs.create(`${prefix}-sw`),
    relay: await NetNs.create(`${prefix}-relay`),
    sink: await NetNs.create(`${prefix}-sink`),
  };
  const { gen, sw, relay, sink } = hosts;
  const destroy = async (): Promise<void> => {
    await Promise.all(Object.values(hosts).map((ns) => ns.destroy()));
  };
  const recreateIngress = async (): Promise<void> => {
    await veth(relay, 'in0', sw, 'swi');
    await hostEnd(relay, 'in0', '10.78.1.1/24');
    await bridgePort(sw, 'swi', 'br-in');
  };
  const recreateOutput = async (): Promise<void> => {
    await veth(relay, 'out0', sw, 'swo');
    await hostEnd(relay, 'out0', '10.78.2.1/24');
    await bridgePort(sw, 'swo', 'br-out');
  };
  try {
    for (const ns of Object.values(hosts)) await configure(ns);
    // Snooping off: the test is about the relay rejoining, not about the bridge's IGMP timers.
    for (const bridge of ['br-in', 'br-out']) {
      await sw.ip('link', 'add', bridge, 'type', 'bridge', 'mcast_snooping', '0');
      await sw.ip('link', 'set', bridge, 'up');
    }
    await veth(gen, 'gen0', sw, 'swg');
    await hostEnd(gen, 'gen0', '10.78.1.2/24');
    await bridgePort(sw, 'swg', 'br-in');
    await veth(sink, 'sink0', sw, 'sws');
    await hostEnd(sink, 'sink0', '10.78.2.2/24');
    await bridgePort(sw, 'sws', 'br-out');
    await recreateIngress();
    await recreateOutput();
    return { gen, sw, relay, sink, recreateIngress, recreateOutput, destroy };
  } catch (error) {
    await destroy();
    throw error;
  }
}
