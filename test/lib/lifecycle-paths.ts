// Where the lifecycle script's engines forward (lib/engine-lifecycle.ts, run by
// engine/lifecycle.e2e.spec.ts), per datapath. The script sends and receives itself, in one process:
//  - sockets: a unicast relay on loopback, in the namespace the suite runs in;
//  - eBPF: the program runs on Ethernet only, so a namespace of the suite's own with two veth pairs
//    that loop back into it. The script sends out of gen0 (arriving on in0, where the program runs),
//    the program sends out of out0 (arriving on sink0, where the script listens).
import { NetNs } from './netns';
import { waitLinksUp } from './topology';

/** Datagrams sent per phase; a cycle forwards a phase before updateRelay and one after it. */
export const DATAGRAMS_PER_PHASE = 4;
export const DATAGRAMS_PER_CYCLE = 2 * DATAGRAMS_PER_PHASE;

export interface LifecyclePath {
  /** The relay's input interface and group (a unicast address on loopback). */
  input: { interface: string; group: string };
  /** The relay's output interface and group; the update moves it to the second receive port. */
  output: { interface: string; group: string };
  /** The script's sender binds here and sends out of this address's interface. */
  sendFrom: string;
  /** The script's receivers join the output group on this address (multicast only). */
  receiveOn?: string;
  /** The interface whose tcx ingress carries the program while the relay runs (eBPF only). */
  programInterface?: string;
}

export const LOOPBACK_PATH: LifecyclePath = {
  input: { interface: 'lo', group: '127.0.0.1' },
  output: { interface: 'lo', group: '127.0.0.1' },
  sendFrom: '127.0.0.1',
};

const VETH_LOOP = [
  { peer: ['gen0', '10.77.5.2/24'], relay: ['in0', '10.77.5.1/24'] },
  { peer: ['sink0', '10.77.6.2/24'], relay: ['out0', '10.77.6.1/24'] },
] as const;

export const VETH_LOOP_PATH: LifecyclePath = {
  input: { interface: 'in0', group: '239.77.5.1' },
  output: { interface: 'out0', group: '239.77.6.1' },
  sendFrom: '10.77.5.2',
  receiveOn: '10.77.6.2',
  programInterface: 'in0',
};

/**
 * The namespace for VETH_LOOP_PATH. Both ends of each pair are local, so the datagrams arriving on
 * sink0 (source out0's address) carry a local source: sink0 accepts them (accept_local) instead
 * of dropping them as martians. rp_filter off: the loop is not a network a reverse path means
 * anything in.
 */
export async function createVethLoop(name: string): Promise<NetNs> {
  const ns = await NetNs.create(name);
  try {
    await ns.sysctl('net.ipv4.conf.all.rp_filter', '0');
    await ns.sysctl('net.ipv4.conf.default.rp_filter', '0');
    for (const { peer, relay } of VETH_LOOP) {
      await ns.ip('link', 'add', peer[0], 'type', 'veth', 'peer', 'name', relay[0]);
      for (const [ifname, address] of [peer, relay]) {
        await ns.ip('addr', 'add', address, 'dev', ifname);
        await ns.ip('link', 'set', ifname, 'up');
      }
    }
    await ns.sysctl('net.ipv4.conf.sink0.accept_local', '1');
    await waitLinksUp(
      ns,
      VETH_LOOP.flatMap(({ peer, relay }) => [peer[0], relay[0]]),
    );
    return ns;
  } catch (error) {
    await ns.destroy();
    throw error;
  }
}
