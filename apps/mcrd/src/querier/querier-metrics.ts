// Querier and membership metrics, read from the engine's querier snapshot at scrape time: which
// interfaces this node queries on, the queries it sent, the reports it heard, the groups reported.
import { Counter, Gauge, type Registry } from 'prom-client';
import type { QuerierInterface, QuerierSnapshot } from '@mcr/engine';

const LABELS = ['interface', 'protocol'] as const;

function labels(link: QuerierInterface): { interface: string; protocol: string } {
  return { interface: link.interface, protocol: link.protocol };
}

export function registerQuerierMetrics(registry: Registry, read: () => QuerierSnapshot | undefined): Registry {
  const each = (fn: (link: QuerierInterface) => void): void => read()?.interfaces.forEach(fn);
  new Gauge({
    name: 'mcr_querier_is_querier',
    help: '1 while this node is the elected IGMP/MLD querier on the interface, else 0.',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      each((link) => this.set(labels(link), link.state === 'querier' ? 1 : 0));
    },
  });
  new Counter({
    name: 'mcr_querier_queries_sent_total',
    help: 'IGMP/MLD queries sent: general ones and group-specific ones after leaves.',
    labelNames: [...LABELS, 'kind'],
    registers: [registry],
    collect() {
      this.reset();
      each((link) => {
        this.inc({ ...labels(link), kind: 'general' }, link.generalQueriesSent);
        this.inc({ ...labels(link), kind: 'group' }, link.groupQueriesSent);
      });
    },
  });
  new Counter({
    name: 'mcr_querier_reports_received_total',
    help: 'IGMP/MLD membership reports, leaves and dones received.',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      each((link) => this.inc(labels(link), link.reportsReceived));
    },
  });
  new Gauge({
    name: 'mcr_membership_groups',
    help: 'Groups that hosts on the interface have reported and whose timer runs.',
    labelNames: LABELS,
    registers: [registry],
    collect() {
      this.reset();
      each((link) => this.set(labels(link), link.groups.length));
    },
  });
  return registry;
}
