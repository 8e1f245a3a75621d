// Engine counters at zero, one per contract counter (@mcr/contract), for fakes and fixtures: a
// counter added to the contract needs no edit here.
import { LEG_COUNTERS, OUTPUT_COUNTERS, RELAY_COUNTERS, type CounterDefinition } from '@mcr/contract';
import type { LegCounters, OutputCounters, RelayCounters } from '@mcr/engine';

function zeros(counters: readonly CounterDefinition[]): Record<string, unknown> {
  const counts: Record<string, unknown> = {};
  for (const { name, native } of counters) {
    counts[name] = 0n;
    if (native === 'errnoTable') counts[`${name}ByErrno`] = {};
  }
  return counts;
}

export function zeroOutputCounters(overrides: Partial<OutputCounters> = {}): OutputCounters {
  return { ...zeros(OUTPUT_COUNTERS), lastPacketAt: null, ...overrides } as OutputCounters;
}

export function zeroLegCounters(overrides: Partial<LegCounters> = {}): LegCounters {
  return { ...zeros(LEG_COUNTERS), silentForMs: null, ...overrides } as LegCounters;
}

export function zeroRelayCounters(
  base: Pick<RelayCounters, 'id' | 'name' | 'enabled'> & Partial<RelayCounters>,
): RelayCounters {
  return {
    ...zeros(RELAY_COUNTERS),
    lastPacketAt: null,
    rcvbufBytes: 0,
    interfacesDown: [],
    datapath: 'socket',
    outputs: [],
    legs: [],
    activeLeg: null,
    ...base,
  } as RelayCounters;
}
