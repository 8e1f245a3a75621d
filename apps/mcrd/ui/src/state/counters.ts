// Every counter of a stats answer as label/value pairs, found by walking the object, so
// counters that a later mcrd adds (telemetry, legs) show up without a dashboard change.
export interface Counter {
  /** Dotted path in the stats answer, e.g. "drops.rxqOverflow". */
  name: string;
  value: number;
}

/** Numbers anywhere in `value` except under the keys in `skip` (shown elsewhere, e.g. outputs). */
export function countersOf(value: unknown, skip: readonly string[] = [], prefix = ''): Counter[] {
  if (typeof value === 'number') return [{ name: prefix, value }];
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.entries(value as Record<string, unknown>)
    .filter(([key]) => !skip.includes(key))
    .flatMap(([key, inner]) => countersOf(inner, [], prefix === '' ? key : `${prefix}.${key}`));
}

/** Fields of a relay definition beyond the ones the dashboard lays out itself (e.g. redundancy). */
export function extraFields(relay: object, known: readonly string[]): Record<string, unknown> {
  return Object.fromEntries(Object.entries(relay).filter(([key]) => !known.includes(key)));
}
