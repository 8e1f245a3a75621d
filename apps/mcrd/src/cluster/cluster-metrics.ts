// HA metrics, read from the cluster service at scrape time: promotions to active, acknowledged
// lease renewals, and whether this node is fenced now (mcr_node_role is with the relay metrics).
import { Counter, Gauge, type Registry } from 'prom-client';

export interface ClusterCounters {
  failovers: number;
  renewals: number;
  fenced: boolean;
}

export function registerClusterMetrics(registry: Registry, read: () => ClusterCounters): Registry {
  new Counter({
    name: 'mcr_failovers_total',
    help: 'Times this node became active (election won after start, failover or switchover).',
    registers: [registry],
    collect() {
      this.reset();
      this.inc(read().failovers);
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
  return registry;
}
