// Prometheus metrics of mcrd, read from the engine and the reconciler at scrape time (collect
// callbacks), never pushed per packet. Labels are bounded by the configuration: relay id and
// name, output index with its interface and destination (one value each per configured output),
// the interfaces named in the configuration, a fixed set of drop reasons and states. Which
// counters become which series is declared in @mcr/contract (`prometheus` of each counter).
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import {
  COUNTERS,
  LEG_COUNTERS,
  OUTPUT_COUNTERS,
  RELAY_COUNTERS,
  dropReason,
  isPrometheusGauge,
  prometheusMetric,
  type CounterDefinition,
  type OutputCounterName,
  type RelayCounterName,
} from '@mcr/contract';
import type { RelayCounters } from '@mcr/engine';
import { addressFamily, type Relay, type RelayOutput } from '@mcr/model';
import type { RelayEngine } from '../engine/relay-engine';
import { EVENT_LOOP_SAMPLE_MS } from '../health/event-loop-sampling';
import { RELAY_STATES, type RelayStatus } from '../reconciler/relay-state';

export interface MetricsSources {
  engine: RelayEngine;
  statuses: () => Map<string, RelayStatus>;
  /** The stored relays by id: names for mcr_relay_state, outputs for the output labels. */
  relays: () => ReadonlyMap<string, Relay>;
  /** MCR_INTERFACE_MAP: labels name this host's interfaces, as mcr_relay_interface_down does. */
  toHost: (relay: Relay) => Relay;
  nodeId: string;
  version: string;
  /** The node's role as the cluster sees it (relay placement: active while it owns a relay); default the engine's. */
  role?: () => 'active' | 'standby';
}

export function createRelayMetrics(sources: MetricsSources): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
  const snapshot = (): RelayCounters[] => (sources.engine.closed ? [] : sources.engine.stats());
  for (const counter of RELAY_COUNTERS) {
    registerContractSeries(registry, counter, RELAY_LABELS, () =>
      snapshot().map((c) => ({ labels: { relay: c.id, name: c.name }, value: c[counter.name] })),
    );
  }
  const outputLabels = outputLabelsFrom(sources);
  for (const counter of OUTPUT_COUNTERS) {
    registerContractSeries(registry, counter, OUTPUT_LABELS, () => {
      const labelsOf = outputLabels();
      return snapshot().flatMap((c) =>
        c.outputs.map((o, i) => ({
          labels: { relay: c.id, name: c.name, output: String(i), ...labelsOf(c.id, i) },
          value: o[counter.name],
        })),
      );
    });
  }
  for (const counter of LEG_COUNTERS) {
    registerContractSeries(registry, counter, LEG_LABEL_NAMES, () =>
      snapshot().flatMap((c) =>
        c.legs.map((l, i) => ({ labels: { relay: c.id, name: c.name, leg: LEG_LABELS[i] }, value: l[counter.name] })),
      ),
    );
  }
  registerLegGauges(registry, snapshot);
  registerDrops(registry, snapshot);
  registerInterfacesDown(registry, snapshot);
  registerRelayState(registry, sources);
  registerDatapath(registry, snapshot);
  registerNodeGauges(registry, sources);
  return registry;
}

type Snapshot = () => RelayCounters[];

const RELAY_LABELS = ['relay', 'name'];
const OUTPUT_LABELS = ['relay', 'name', 'output', 'interface', 'destination'];
const LEG_LABEL_NAMES = ['relay', 'name', 'leg'];

interface Sample {
  labels: Record<string, string>;
  value: bigint;
}

/**
 * The series of one contract counter, read at scrape time: a Prometheus counter, or a gauge for
 * the levels the contract marks so (stream analysis: jitter now). Counters without a metric name
 * in the contract are not exported.
 */
function registerContractSeries(
  registry: Registry,
  counter: CounterDefinition,
  labelNames: string[],
  samples: () => Sample[],
): void {
  const name = prometheusMetric(counter);
  if (name === undefined) return;
  const common = { name, help: counter.help, labelNames, registers: [registry] };
  if (isPrometheusGauge(counter)) {
    new Gauge({
      ...common,
      collect() {
        this.reset();
        for (const { labels, value } of samples()) this.set(labels, Number(value));
      },
    });
  } else {
    new Counter({
      ...common,
      collect() {
        this.reset();
        for (const { labels, value } of samples()) this.inc(labels, Number(value));
      },
    });
  }
}

/** `239.2.2.2:6000`, `[ff3e::2]:6000`: where an output sends. */
function destinationOf(output: RelayOutput): string {
  return addressFamily(output.group) === 6 ? `[${output.group}]:${output.port}` : `${output.group}:${output.port}`;
}

/** Per scrape: relay id -> the `interface` and `destination` labels of each output, by index. */
type OutputLabels = () => (relayId: string, index: number) => { interface: string; destination: string };

function outputLabelsFrom(sources: MetricsSources): OutputLabels {
  return () => {
    const relays = sources.relays();
    const hostSpecs = new Map<string, Relay>();
    return (relayId, index) => {
      let spec = hostSpecs.get(relayId);
      const stored = relays.get(relayId);
      if (spec === undefined && stored !== undefined) {
        spec = sources.toHost(stored);
        hostSpecs.set(relayId, spec);
      }
      const output = spec?.outputs[index];
      // Only while a change of the relay's outputs is not applied yet can the index be unknown.
      return output === undefined
        ? { interface: '', destination: '' }
        : { interface: output.interface, destination: destinationOf(output) };
    };
  };
}

/** The `leg` label of a redundant relay's legs: a = input, b = redundancy.input. */
export const LEG_LABELS = ['a', 'b'] as const;

/** Liveness of each leg (what the silent-leg alert reads) and, in failover mode, the active leg. */
function registerLegGauges(registry: Registry, snapshot: Snapshot): void {
  new Gauge({
    name: 'mcr_relay_leg_silent_seconds',
    help: "Seconds since a redundant relay's leg last received a datagram; absent until it has received one.",
    labelNames: ['relay', 'name', 'leg'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snapshot()) {
        c.legs.forEach((l, i) => {
          if (l.silentForMs !== null) this.set({ relay: c.id, name: c.name, leg: LEG_LABELS[i] }, l.silentForMs / 1000);
        });
      }
    },
  });
  new Gauge({
    name: 'mcr_relay_leg_active',
    help: 'Failover mode: 1 for the leg being forwarded, 0 for the other.',
    labelNames: ['relay', 'name', 'leg'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snapshot()) {
        if (c.activeLeg === null) continue;
        LEG_LABELS.forEach((leg, i) => this.set({ relay: c.id, name: c.name, leg }, c.activeLeg === i ? 1 : 0));
      }
    },
  });
}

/** A drop counter's value for one relay: its own, or for an output counter the sum over outputs. */
function dropValue(counter: CounterDefinition): (c: RelayCounters) => bigint {
  if (counter.scope !== 'output') return (c) => c[counter.name as RelayCounterName];
  return (c) => c.outputs.reduce((total, o) => total + o[counter.name as OutputCounterName], 0n);
}

/** Every counter with a drop reason, in the contract's order. */
const DROP_REASONS = COUNTERS.flatMap((counter) => {
  const reason = dropReason(counter);
  return reason === undefined ? [] : [{ reason, value: dropValue(counter) }];
});

function registerDrops(registry: Registry, snapshot: Snapshot): void {
  new Counter({
    name: 'mcr_relay_drops_total',
    help: `Datagrams not forwarded, by reason (${DROP_REASONS.map(({ reason }) => reason).join(', ')}).`,
    labelNames: ['relay', 'name', 'reason'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snapshot()) {
        for (const { reason, value } of DROP_REASONS) this.inc({ relay: c.id, name: c.name, reason }, Number(value(c)));
      }
    },
  });
}

function registerInterfacesDown(registry: Registry, snapshot: Snapshot): void {
  new Gauge({
    name: 'mcr_relay_interface_down',
    help: '1 for each interface of a relay that is down or gone (the relay waits for it); absent when all are up.',
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

/** One series per stored relay and state (6 per relay): 1 for the relay's state, 0 for the others. */
function registerRelayState(registry: Registry, sources: MetricsSources): void {
  new Gauge({
    name: 'mcr_relay_state',
    help: `1 for the state this node has each relay in, 0 for the other states (${RELAY_STATES.join(', ')}).`,
    labelNames: ['relay', 'name', 'state'],
    registers: [registry],
    collect() {
      this.reset();
      const relays = sources.relays();
      for (const [id, status] of sources.statuses()) {
        const name = relays.get(id)?.name ?? '';
        for (const state of RELAY_STATES) this.set({ relay: id, name, state }, state === status.state ? 1 : 0);
      }
    },
  });
}

/** One series per relay: 1 for the datapath that forwards it on this node. */
function registerDatapath(registry: Registry, snapshot: Snapshot): void {
  new Gauge({
    name: 'mcr_relay_datapath',
    help: '1 for the datapath that forwards each relay on this node (socket: worker threads; ebpf: the tc program).',
    labelNames: ['relay', 'name', 'datapath'],
    registers: [registry],
    collect() {
      this.reset();
      for (const c of snapshot()) this.set({ relay: c.id, name: c.name, datapath: c.datapath }, 1);
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
      const role = sources.role?.() ?? sources.engine.role;
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
