// @mcr/contract: the declared contract (src/contract.js) with the types and lookups every layer
// derives from it. Nothing here adds a rule; it only gives the declarations typed shapes.
import {
  counters,
  descriptors,
  diagnostics,
  engineOptions,
  errors,
  integerRule,
  nodeName,
  querier,
  relaySpec,
  requestBody,
} from './contract';

export {
  counters,
  descriptors,
  diagnostics,
  engineOptions,
  errors,
  integerRule,
  nodeName,
  querier,
  relaySpec,
  requestBody,
};

type CounterEntry = (typeof counters)[number];
type OptionEntry = (typeof engineOptions)[number];

export type CounterName = CounterEntry['name'];
/** Names of the counters whose declaration matches `Where`, e.g. `{ scope: 'relay'; rest: 'drops' }`. */
export type CounterNameWhere<Where> = Extract<CounterEntry, Where>['name'];
export type RelayCounterName = Extract<CounterEntry, { scope: 'relay' }>['name'];
export type OutputCounterName = Extract<CounterEntry, { scope: 'output' }>['name'];
export type LegCounterName = Extract<CounterEntry, { scope: 'leg' }>['name'];
/** Counters that also report a count per errno, as `<name>ByErrno`. */
export type ErrnoTableCounterName = Extract<CounterEntry, { native: 'errnoTable' }>['name'];
export type EngineErrorCode = (typeof errors)[number]['code'];
export type EngineOptionName = OptionEntry['name'];
/** A diagnostics check's stable code, and the severities its findings have. */
export type DiagnosticCode = (typeof diagnostics)[number]['code'];
export type DiagnosticSeverity = (typeof diagnostics)[number]['severity'];

type OptionValue<O> = O extends { type: 'boolean' }
  ? boolean
  : O extends { type: 'integerList' }
    ? number[]
    : O extends { type: 'choice'; choices: readonly (infer C)[] }
      ? C
      : number;
/** Every engine option with its value type: integer options are numbers, `cpus` a number list, a choice one of its words. */
export type EngineOptionValues = { [O in OptionEntry as O['name']]: OptionValue<O> };

/** One counter, as layers that iterate over them see it. */
export interface CounterDefinition<Name extends string = CounterName> {
  name: Name;
  scope: 'relay' | 'output' | 'leg';
  native: 'counter' | 'errnoTable' | 'gauge';
  unit: string;
  help: string;
  rest: 'relay' | 'drops' | 'output' | 'leg';
  example: number;
  prometheus?: { metric: string; type?: 'gauge' } | { dropReason: string };
}

/** One engine option, as layers that iterate over them see it. */
export interface EngineOptionDefinition {
  name: EngineOptionName;
  type: 'integer' | 'boolean' | 'integerList' | 'choice';
  min?: number;
  max?: number;
  choices?: readonly string[];
  default?: number | boolean | string;
  unit?: string;
  environment?: string;
  help: string;
}

export const COUNTERS: readonly CounterDefinition[] = counters;
export const RELAY_COUNTERS = counters.filter(
  (c) => c.scope === 'relay',
) as readonly CounterDefinition<RelayCounterName>[];
export const OUTPUT_COUNTERS = counters.filter(
  (c) => c.scope === 'output',
) as readonly CounterDefinition<OutputCounterName>[];
export const LEG_COUNTERS = counters.filter((c) => c.scope === 'leg') as readonly CounterDefinition<LegCounterName>[];
export const ENGINE_OPTIONS: readonly EngineOptionDefinition[] = engineOptions;
export const ENGINE_ERROR_CODES: readonly EngineErrorCode[] = errors.map((error) => error.code);

/** The option's declaration; every name comes from the contract, so it always exists. */
export function engineOption(name: EngineOptionName): EngineOptionDefinition {
  return ENGINE_OPTIONS.find((option) => option.name === name) as EngineOptionDefinition;
}

/** The engine's defaults, fresh each call (cpus is a new empty array). */
export function engineOptionDefaults(): EngineOptionValues {
  const defaults: Record<string, unknown> = {};
  for (const option of ENGINE_OPTIONS) defaults[option.name] = option.type === 'integerList' ? [] : option.default;
  return defaults as EngineOptionValues;
}

/** The Prometheus drop reason of a counter that counts as a drop, else undefined. */
export function dropReason(counter: CounterDefinition): string | undefined {
  return counter.prometheus !== undefined && 'dropReason' in counter.prometheus
    ? counter.prometheus.dropReason
    : undefined;
}

/** Whether the counter's own Prometheus metric is a gauge (a level) rather than a counter. */
export function isPrometheusGauge(counter: CounterDefinition): boolean {
  return counter.prometheus !== undefined && 'type' in counter.prometheus && counter.prometheus.type === 'gauge';
}

/** The counter's own Prometheus metric, else undefined. */
export function prometheusMetric(counter: CounterDefinition): string | undefined {
  return counter.prometheus !== undefined && 'metric' in counter.prometheus ? counter.prometheus.metric : undefined;
}
