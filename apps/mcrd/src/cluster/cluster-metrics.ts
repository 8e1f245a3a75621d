// HA metrics, read from the cluster service at scrape time: promotions to active, acknowledged
// lease renewals, and whether this node is fenced now (mcr_node_role is with the relay metrics).
import { Counter, Gauge, type Registry } from 'prom-client';
import { FAILOVER_REASONS, type FailoverReason } from './ha-node';

export interface ClusterCounters {
  /** Promotions to active, by reason. */
  failovers: Partial<Record<FailoverReason, number>>;
  renewals: number;
  fenced: boolean;
  /** MCR_PLACEMENT=relay: the relays this node owns; undefined with node placement. */
  ownedRelays?: ReadonlySet<string>;
}

export function registerClusterMetrics(
  registry: Registry,
  read: () => ClusterCounters,
  relayIds: () => readonly string[] = () => [],
): Registry {
  new Counter({
    name: 'mcr_failovers_total',
    help:
      'Times this node became active, by reason: leader_key_free (start, or the active died, stopped or lost ' +
      'its lease), switchover (operator), input_liveness (the active handed over: its inputs were silent ' +
      'while a peer received), fencing_lifted (a late lease renewal).',
    labelNames: ['reason'],
    registers: [registry],
    collect() {
      this.reset();
      // Every reason from the start, at 0 on a single node too: rate() and alerts need the series.
      const failovers = read().failovers;
      for (const reason of FAILOVER_REASONS) this.inc({ reason }, failovers[reason] ?? 0);
    },
  });
  new Counter({
    name: 'mcr_lease_renewals_total',
    help: 'Leadership lease grants and renewals acknowledged by etcd.',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read().renewals);
    },
  });
  new Gauge({
    name: 'mcr_fenced',
    help: '1 while this node stopped forwarding because its lease could not be renewed in time.',
    registers: [registry],
    collect() {
      this.set(read().fenced ? 1 : 0);
    },
  });
  new Gauge({
    name: 'mcr_relay_owned',
    help: 'MCR_PLACEMENT=relay: 1 for each relay this node owns (forwards), 0 for the others; absent with node placement.',
    labelNames: ['relay'],
    registers: [registry],
    collect() {
      this.reset();
      const owned = read().ownedRelays;
      if (owned === undefined) return;
      for (const relay of relayIds()) this.set({ relay }, owned.has(relay) ? 1 : 0);
    },
  });
  return registry;
}
