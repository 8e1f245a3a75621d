// What both HA suites stand on: the HA topology and a three-member etcd cluster in it, started
// once per suite and torn down after it, with the suite's duration printed.
import { EtcdCluster } from '../../lib/etcd';
import { LEASE_TTL_S } from './ha-cluster';
import { createHaTopology, type HaTopology, type HaTopologyOptions } from './ha-topology';

/** The bound on a kill -9 failover gap: the lease TTL plus generous slack for a loaded 2-core VM. */
export const KILL_GAP_BOUND_MS = LEASE_TTL_S * 1000 + 1500;

export interface HaEnvironment {
  topology: HaTopology;
  etcd: EtcdCluster;
}

export async function startHaEnvironment(options: HaTopologyOptions = {}): Promise<HaEnvironment> {
  const topology = await createHaTopology(options);
  try {
    return { topology, etcd: await EtcdCluster.start(topology.etcd, topology.etcdAddresses) };
  } catch (error) {
    await topology.destroy();
    throw error;
  }
}

export async function stopHaEnvironment(env: Partial<HaEnvironment>, suite: string, startedMs: number): Promise<void> {
  await env.etcd?.stop();
  await env.topology?.destroy();
  process.stdout.write(`${suite} suite: ${((Date.now() - startedMs) / 1000).toFixed(1)} s\n`);
}
