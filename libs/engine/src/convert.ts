// Conversions between the public TypeScript shapes and the addon's plain-data shapes.
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

function toOutputCounters(native: NativeOutputStats): OutputCounters {
  const byErrno: Record<string, bigint> = {};
  for (const [errno, count] of native.sendErrorsByErrno) byErrno[errnoName(errno)] = count;
  return {
    packets: native.packets,
    bytes: native.bytes,
    sendErrors: native.sendErrors,
    sendErrorsByErrno: byErrno,
    lastPacketAt: unixNsToMs(native.lastPacketUnixNs),
    gsoDatagrams: native.gsoDatagrams,
    gsoFallbacks: native.gsoFallbacks,
  };
}

export function toRelayCounters(native: NativeRelayStats): RelayCounters {
  return {
    id: native.id,
    name: native.name,
    enabled: native.enabled,
    packetsIn: native.packetsIn,
    bytesIn: native.bytesIn,
    rxqDrops: native.rxqDrops,
    truncated: native.truncated,
    ttlExpired: native.ttlExpired,
    notForwardedStandby: native.notForwardedStandby,
    heldByFence: native.heldByFence,
    lastPacketAt: unixNsToMs(native.lastPacketUnixNs),
    rcvbufBytes: native.rcvbufBytes,
    interfacesDown: native.interfacesDown,
    outputs: native.outputs.map(toOutputCounters),
  };
}
