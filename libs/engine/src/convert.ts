// Conversions between the public TypeScript shapes and the addon's plain-data shapes.
import { LEG_COUNTERS, OUTPUT_COUNTERS, RELAY_COUNTERS, relaySpec, type CounterDefinition } from '@mcr/contract';
import type { RelayInput, RelayRedundancy } from '@mcr/model';
import { errnoName } from './errno';
import type {
  NativeIngressSpec,
  NativeLegStats,
  NativeOutputStats,
  NativeRedundancySpec,
  NativeRelaySpec,
  NativeRelayStats,
} from './native';
import type { EngineRelaySpec, LegCounters, OutputCounters, RelayCounters } from './types';

/** ttl "inherit" crosses the boundary as -1 (kTtlInherit in core/relay_spec.h). */
const TTL_INHERIT = -1;

export function toNativeSpec(spec: EngineRelaySpec): NativeRelaySpec {
  return {
    id: spec.id ?? '',
    name: spec.name,
    enabled: spec.enabled ?? true,
    input: toNativeIngress(spec.input),
    outputs: spec.outputs.map((output) => ({
      interface: output.interface,
      group: output.group,
      port: output.port,
      ttl: output.ttl === 'inherit' ? TTL_INHERIT : (output.ttl ?? 1),
      dscp: output.dscp ?? 0,
      source: output.source ?? '',
      onDemand: output.onDemand ?? false,
    })),
    redundancy: spec.redundancy === undefined ? null : toNativeRedundancy(spec.redundancy),
    analyze: spec.analyze ?? relaySpec.analyze.default,
  };
}

function toNativeIngress(input: RelayInput): NativeIngressSpec {
  return { interface: input.interface, group: input.group, port: input.port, sources: input.sources ?? [] };
}

function toNativeRedundancy(redundancy: RelayRedundancy): NativeRedundancySpec {
  const defaults = relaySpec.redundancy;
  return {
    input: toNativeIngress(redundancy.input),
    mode: redundancy.mode,
    key: redundancy.key ?? defaults.keyDefault,
    windowMs: redundancy.windowMs ?? defaults.windowMs.default,
    lossMs: redundancy.lossMs ?? defaults.lossMs.default,
    revertMs: redundancy.revertMs ?? defaults.revertMs.default,
  };
}

function unixNsToMs(ns: bigint): number | null {
  return ns === 0n ? null : Number(ns / 1_000_000n);
}

/** The contract's counters of one scope, copied by name; errno tables get their errno names. */
function copyCounts<Name extends string>(
  counters: readonly CounterDefinition<Name>[],
  native: Record<string, unknown>,
): Record<string, unknown> {
  const counts: Record<string, unknown> = {};
  for (const { name, native: kind } of counters) {
    counts[name] = native[name];
    if (kind !== 'errnoTable') continue;
    const byErrno: Record<string, bigint> = {};
    for (const [errno, count] of native[`${name}ByErrno`] as Array<[number, bigint]>) byErrno[errnoName(errno)] = count;
    counts[`${name}ByErrno`] = byErrno;
  }
  return counts;
}

function toOutputCounters(native: NativeOutputStats): OutputCounters {
  return {
    ...copyCounts(OUTPUT_COUNTERS, native),
    lastPacketAt: unixNsToMs(native.lastPacketUnixNs),
  } as OutputCounters;
}

function toLegCounters(native: NativeLegStats): LegCounters {
  return {
    ...copyCounts(LEG_COUNTERS, native),
    silentForMs: native.silentForMs < 0 ? null : native.silentForMs,
  } as LegCounters;
}

export function toRelayCounters(native: NativeRelayStats): RelayCounters {
  return {
    id: native.id,
    name: native.name,
    enabled: native.enabled,
    ...copyCounts(RELAY_COUNTERS, native),
    lastPacketAt: unixNsToMs(native.lastPacketUnixNs),
    rcvbufBytes: native.rcvbufBytes,
    interfacesDown: native.interfacesDown,
    datapath: native.datapath,
    ...(native.datapathReason === '' ? {} : { datapathReason: native.datapathReason }),
    outputs: native.outputs.map(toOutputCounters),
    legs: native.legs.map(toLegCounters),
    activeLeg: native.activeLeg < 0 ? null : native.activeLeg,
  } as RelayCounters;
}
