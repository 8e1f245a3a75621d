// The HA topology: a generator on bridge A, two (or three) relay hosts on bridges A, B and the management
// bridge, a sink on bridge B, and three etcd members in their own namespace on the management
// bridge, all in namespaces this test creates (the bridges live in a "hub" namespace). The test
// process reaches the management bridge through one veth of its own.
//
//   gen   gen0 10.79.1.10 ─┐ brA ┌─ r1 in0 10.79.1.1 / r2 ing0 10.79.1.2
//   sink  sink0 10.79.2.10 ┘ brB └─ r1 out0 10.79.2.1 / r2 egr0 10.79.2.2
//   etcd  M.11-13, r1 mgmt M.1, r2 mgmt M.2, test M.254 ── brM   (M = a free 10.78.K, see below)
// A third relay host, when asked for, is r3 (in3 .3 / out3 .3 / mgmt M.3), for a node that joins.
// The relays' NIC names differ on purpose: the relays use logical names (MCR_INTERFACE_MAP).
import { NetNs, run } from '../../lib/netns';

/**
 * The management /24 is the only subnet that reaches the root namespace (the test's own veth),
 * so it alone must differ between HA suites running at once: the first 10.78.K.0/24 that no
 * address or route of the root namespace uses yet.
 */
async function freeManagementPrefix(): Promise<string> {
  const used =
    (await run('ip', ['-4', '-o', 'addr', 'show'])).stdout + (await run('ip', ['-4', 'route', 'show'])).stdout;
  const start = process.pid % 256;
  for (let i = 0; i < 256; i++) {
    const prefix = `10.78.${(start + i) % 256}`;
    if (!new RegExp(`(^|\\s)${prefix.replace(/\./g, '\\.')}\\.`, 'm').test(used)) return prefix;
  }
  throw new Error('no free management subnet in 10.78.0.0/16');
}

export interface RelayHost {
  ns: NetNs;
  /** Management address (the API listens here). */
  address: string;
  /** MCR_INTERFACE_MAP of this host: logical uplink/downlink to its NICs. */
  interfaceMap: string;
  /** The host's ingress NIC (on brA, where the stream arrives). */
  ingress: string;
  /** The host's egress NIC (on brB, the segment the sink is on). */
  egress: string;
  /** The bridge port in the hub that feeds that NIC: the host's upstream switch port. */
  upstreamPort: string;
}

export interface HaTopology {
  hub: NetNs;
  /** The three etcd members' client addresses on the management bridge. */
  etcdAddresses: string[];
  gen: NetNs;
  sink: NetNs;
  etcd: NetNs;
  /** Two hosts, or three with `relayHosts: 3`. */
  relays: [RelayHost, RelayHost, ...RelayHost[]];
  /**
   * The host's upstream switch port stops forwarding (or forwards again) while the link keeps its
   * carrier: the bridge port is set to the STP state "disabled", so the bridge drops every frame
   * to and from it and neither veth end sees a link change, as with a port an upstream switch
   * blocks or mis-programs.
   */
  setUpstreamForwarding(host: RelayHost, forwarding: boolean): Promise<void>;
  /** The host's ingress NIC down (carrier lost, as the engine sees it) or up again. */
  setIngressLink(host: RelayHost, up: boolean): Promise<void>;
  /** Cuts a relay host off from etcd (blackhole routes), while multicast still reaches it. */
  cutFromEtcd(host: RelayHost): Promise<void>;
  healToEtcd(host: RelayHost): Promise<void>;
  destroy(): Promise<void>;
}

export interface HaTopologyOptions {
  /** 3 adds a third relay host (r3), for placement's joining node; default 2. */
  relayHosts?: 2 | 3;
}

let count = 0;

export async function createHaTopology(options: HaTopologyOptions = {}): Promise<HaTopology> {
  const prefix = `mcr-ha-${process.pid}-${++count}`;
  const rootIf = `mcrha${process.pid % 10000}${count}`.slice(0, 15);
  const made: NetNs[] = [];
  const make = async (name: string): Promise<NetNs> => {
    const ns = await NetNs.create(`${prefix}-${name}`);
    made.push(ns);
    return ns;
  };
  const destroy = async (): Promise<void> => {
    await run('ip', ['link', 'del', rootIf], { allowFailure: true });
    await Promise.all(made.map((ns) => ns.destroy()));
  };
  try {
    const mgmt = await freeManagementPrefix();
    const etcdAddresses = [11, 12, 13].map((host) => `${mgmt}.${host}`);
    const hub = await make('hub');
    for (const bridge of ['brA', 'brB', 'brM']) {
      await hub.ip('link', 'add', bridge, 'type', 'bridge', 'mcast_snooping', '0');
      await hub.ip('link', 'set', bridge, 'up');
    }
    let port = 0;
    const attach = async (ns: NetNs, ifname: string, bridge: string, addresses: string[]): Promise<string> => {
      const hubIf = `p${++port}`;
      await run('ip', [
        'link',
        'add',
        hubIf,
        'netns',
        hub.name,
        'type',
        'veth',
        'peer',
        'name',
        ifname,
        'netns',
        ns.name,
      ]);
      await hub.ip('link', 'set', hubIf, 'master', bridge, 'up');
      for (const address of addresses) await ns.ip('addr', 'add', address, 'dev', ifname);
      await ns.ip('link', 'set', ifname, 'up');
      return hubIf;
    };
    const gen = await make('gen');
    const sink = await make('sink');
    const etcd = await make('etcd');
    const r1 = await make('r1');
    const r2 = await make('r2');
    const r3 = options.relayHosts === 3 ? await make('r3') : undefined;
    for (const ns of [gen, sink, r1, r2, ...(r3 ? [r3] : [])]) {
      await ns.sysctl('net.ipv4.conf.all.rp_filter', '0');
      await ns.sysctl('net.ipv4.conf.default.rp_filter', '0');
      await ns.sysctl('net.core.rmem_max', '8388608');
    }
    await attach(gen, 'gen0', 'brA', ['10.79.1.10/24']);
    await attach(sink, 'sink0', 'brB', ['10.79.2.10/24']);
    await attach(
      etcd,
      'mgmt',
      'brM',
      etcdAddresses.map((a) => `${a}/24`),
    );
    const r1Upstream = await attach(r1, 'in0', 'brA', ['10.79.1.1/24']);
    await attach(r1, 'out0', 'brB', ['10.79.2.1/24']);
    await attach(r1, 'mgmt', 'brM', [`${mgmt}.1/24`]);
    const r2Upstream = await attach(r2, 'ing0', 'brA', ['10.79.1.2/24']);
    await attach(r2, 'egr0', 'brB', ['10.79.2.2/24']);
    await attach(r2, 'mgmt', 'brM', [`${mgmt}.2/24`]);
    const third: RelayHost[] = [];
    if (r3 !== undefined) {
      const r3Upstream = await attach(r3, 'in3', 'brA', ['10.79.1.3/24']);
      await attach(r3, 'out3', 'brB', ['10.79.2.3/24']);
      await attach(r3, 'mgmt', 'brM', [`${mgmt}.3/24`]);
      third.push({
        ns: r3,
        address: `${mgmt}.3`,
        interfaceMap: 'uplink=in3,downlink=out3',
        ingress: 'in3',
        egress: 'out3',
        upstreamPort: r3Upstream,
      });
    }
    await run('ip', ['link', 'del', rootIf], { allowFailure: true });
    await run('ip', ['link', 'add', rootIf, 'type', 'veth', 'peer', 'name', 'ptest', 'netns', hub.name]);
    await hub.ip('link', 'set', 'ptest', 'master', 'brM', 'up');
    await run('ip', ['addr', 'add', `${mgmt}.254/24`, 'dev', rootIf]);
    await run('ip', ['link', 'set', rootIf, 'up']);
    const blackholes = async (host: RelayHost, verb: 'add' | 'del'): Promise<void> => {
      for (const address of etcdAddresses) await host.ns.ip('route', verb, 'blackhole', `${address}/32`);
    };
    return {
      hub,
      etcdAddresses,
      gen,
      sink,
      etcd,
      relays: [
        {
          ns: r1,
          address: `${mgmt}.1`,
          interfaceMap: 'uplink=in0,downlink=out0',
          ingress: 'in0',
          egress: 'out0',
          upstreamPort: r1Upstream,
        },
        {
          ns: r2,
          address: `${mgmt}.2`,
          interfaceMap: 'uplink=ing0,downlink=egr0',
          ingress: 'ing0',
          egress: 'egr0',
          upstreamPort: r2Upstream,
        },
        ...third,
      ],
      setUpstreamForwarding: async (host, forwarding) => {
        // bridge(8) port states: 0 disabled, 3 forwarding (allowed by hand while STP is off)
        const state = forwarding ? '3' : '0';
        await run('ip', ['netns', 'exec', hub.name, 'bridge', 'link', 'set', 'dev', host.upstreamPort, 'state', state]);
      },
      setIngressLink: async (host, up) => {
        await host.ns.ip('link', 'set', host.ingress, up ? 'up' : 'down');
      },
      cutFromEtcd: (host) => blackholes(host, 'add'),
      healToEtcd: (host) => blackholes(host, 'del'),
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }
}
