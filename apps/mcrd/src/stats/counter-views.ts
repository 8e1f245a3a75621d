// Which contract counters each part of the stats response and of /metrics shows: the `rest` and
// `prometheus` fields of @mcr/contract's counters, read in one place.
import {
  LEG_COUNTERS,
  OUTPUT_COUNTERS,
  RELAY_COUNTERS,
  dropReason,
  type CounterDefinition,
  type CounterNameWhere,
  type LegCounterName,
  type OutputCounterName,
} from '@mcr/contract';

export type RelayShownName = CounterNameWhere<{ scope: 'relay'; rest: 'relay' }>;
export type OutputDropName = CounterNameWhere<{ scope: 'output'; prometheus: { dropReason: string } }>;
export type DropsName = CounterNameWhere<{ scope: 'relay'; rest: 'drops' }> | OutputDropName;

/** Shown on the relay itself (packetsIn, bytesIn). */
export const RELAY_SHOWN = RELAY_COUNTERS.filter(
  (c) => c.rest === 'relay',
) as readonly CounterDefinition<RelayShownName>[];

/** Output counters that are drops: each output shows its own, the relay's `drops` their sum. */
export const OUTPUT_DROPS = OUTPUT_COUNTERS.filter(
  (c) => dropReason(c) !== undefined,
) as readonly CounterDefinition<OutputDropName>[];

/** The relay's `drops` object: its own drop-like counters, then the output drops summed. */
export const DROPS_SHOWN = [
  ...RELAY_COUNTERS.filter((c) => c.rest === 'drops'),
  ...OUTPUT_DROPS,
] as readonly CounterDefinition<DropsName>[];

/** What the totals' `drops` and mcr_relay_drops_total count: every counter with a drop reason. */
export const DROPS_COUNTED = DROPS_SHOWN.filter((c) => dropReason(c) !== undefined);

/** Each output shows all output counters. */
export const OUTPUT_SHOWN: readonly CounterDefinition<OutputCounterName>[] = OUTPUT_COUNTERS;

/** Each leg of a redundant relay shows all leg counters. */
export const LEG_SHOWN: readonly CounterDefinition<LegCounterName>[] = LEG_COUNTERS;
