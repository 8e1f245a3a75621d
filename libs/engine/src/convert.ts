// Conversions between the public TypeScript shapes and the addon's plain-data shapes.
import { OUTPUT_COUNTERS, RELAY_COUNTERS, type CounterDefinition } from '@mcr/contract';
import { errnoName } from './errno';
import type { NativeOutputStats, NativeRelaySpec, NativeRelayStats } from './native';
import type { EngineRelaySpec, OutputCounters, RelayCounters } from './types';

/** ttl "inherit" crosses the boundary as -1 (kTtlInherit in core/relay_spec.h). */
const TTL_INHERIT = -1;

export function toNativeSpec(spec: EngineRelaySpec): NativeRelaySpec {
  return {
    id: spec.id ?? '',
    name: spec.name,
    enabled: spec.enabled ?? true,
    input: {
      interface: spec.input.interface,
      group: spec.input.group,
      port: spec.input.port,
      sources: spec.input.sources ?? [],
    },
    outputs: spec.outputs.map((output) => ({
      interface: output.interface,
      group: output.group,
      port: output.port,
      ttl: output.ttl === 'inherit' ? TTL_INHERIT : (output.ttl ?? 1),
      dscp: output.dscp ?? 0,
      source: output.source ?? '',
    })),
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
  } as RelayCounters;
}
