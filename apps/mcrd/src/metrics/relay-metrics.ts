// Prometheus metrics of mcrd, read from the engine and the reconciler at scrape time (collect
// callbacks), never pushed per packet. Labels are bounded: relay id and name, output index,
// the interfaces named in the configuration, a fixed set of drop reasons and states.
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { RelayCounters } from '@mcr/engine';
import type { RelayEngine } from '../engine/relay-engine';
import { EVENT_LOOP_SAMPLE_MS } from '../health/event-loop-sampling';
import { RELAY_STATES, type RelayStatus } from '../reconciler/relay-state';

export interface MetricsSources {
  engine: RelayEngine;
  statuses: () => Map<string, RelayStatus>;
  nodeId: string;
  version: string;
}

export function createRelayMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const snapshot = (): RelayCounters[] => (sources.engine.closed ? [] : sources.engine.stats());
  const relayCounter = (name: string, help: string, value: (c: RelayCounters) => bigint): void => {
    new Counter({
      name, help, labelNames: ['relay', 'name'], registers: [registry],
      collect() {
        this.reset();
        for (const c of snapshot()) this.inc({ relay: c.id, name: c.name }, Number(value(c)));
      },
    });
  };
  const outputCounter = (name: string, help: string, value: (o: RelayCounters['outputs'][number]) => bigint): void => {
    new Counter({
      name, help, labelNames: ['relay', 'name', 'output'], registers: [registry],
      collect() {
        this.reset();
        for (const c of snapshot()) {
          c.outputs.forEach((o, i) => this.inc({ relay: c.id, name: c.name, output: String(i) }, Number(value(o))));
        }
      },
    });
  };
  relayCounter('mcr_relay_packets_received_total', 'Datagrams received by the relay ingress.', (c) => c.packetsIn);
  relayCounter('mcr_relay_bytes_received_total', 'Payload bytes received by the relay ingress.', (c) => c.bytesIn);
  outputCounter('mcr_relay_packets_forwarded_total', 'Datagrams sent by each relay output.', (o) => o.packets);
  outputCounter('mcr_relay_bytes_forwarded_total', 'Payload bytes sent by each relay output.', (o) => o.bytes);
  outputCounter('mcr_relay_gso_datagrams_total', 'Datagrams each output sent inside UDP GSO messages (several per system call).', (o) => o.gsoDatagrams);
  outputCounter(
    'mcr_relay_gso_fallbacks_total',
    'Times the kernel refused GSO on an output and the batch went out one datagram per message (GSO is retried later).',
    (o) => o.gsoFallbacks,
  );
  registerDrops(registry, snapshot);
  registerInterfacesDown(registry, snapshot);
  registerNodeGauges(registry, sources);
  return registry;
}

const DROP_REASONS: [string, (c: RelayCounters) => bigint][] = [
  ['rxq_overflow', (c) => c.rxqOverflow],
  ['truncated', (c) => c.truncated],
  ['ttl_expired', (c) => c.ttlExpired],
  ['send_error', (c) => c.outputs.reduce((total, o) => total + o.sendErrors, 0n)],
  ['fenced', (c) => c.heldByFence],
];

function registerDrops(registry: Registry, snapshot: () => RelayCounters[]): void {
  new Counter({
    name: 'mcr_relay_drops_total',
    help: 'Datagrams not forwarded, by reason (rxq_overflow, truncated, ttl_expired, send_error, fenced).',
    labelNames: ['relay', 'name', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snapshot()) {
        for (const [reason, value] of DROP_REASONS) this.inc({ relay: c.id, name: c.name, reason }, Number(value(c)));
      }
    },
  });
}

/** Only down interfaces have a series (value 1): a relay's up interfaces are not in the engine's snapshot. */
function registerInterfacesDown(registry: Registry, snapshot: () => RelayCounters[]): void {
  new Gauge({
    name: 'mcr_relay_interface_down',
    help: "1 for each interface of a relay that is down or gone (the relay waits for it); absent when all are up.",
    labelNames: ['relay', 'name', 'interface'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snapshot()) {
        for (const name of c.interfacesDown) this.set({ relay: c.id, name: c.name, interface: name }, 1);
      }
    },
  });
}

function registerNodeGauges(registry: Registry, sources: MetricsSources): void {
  new Gauge({
    name: 'mcr_relays',
    help: `Stored relays by state on this node (${RELAY_STATES.join(', ')}).`,
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = new Map(RELAY_STATES.map((state) => [state, 0]));
      for (const status of sources.statuses().values()) counts.set(status.state, (counts.get(status.state) ?? 0) + 1);
      for (const [state, count] of counts) this.set({ state }, count);
    },
  });
  new Gauge({
    name: 'mcr_node_role',
    help: "1 for this node's current role (active or standby), 0 for the other.",
    labelNames: ['role'],
    registers: [registry],
    collect() {
      const role = sources.engine.role;
      this.set({ role: 'active' }, role === 'active' ? 1 : 0);
      this.set({ role: 'standby' }, role === 'standby' ? 1 : 0);
    },
  });
  new Gauge({
    name: 'mcr_build_info',
    help: 'Always 1; labels carry the mcrd version and node id.',
    labelNames: ['version', 'node'],
    registers: [registry],
  }).set({ version: sources.version, node: sources.nodeId }, 1);
}
