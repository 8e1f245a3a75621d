// Plans an import: matches rules to stored relays by name and sorts them into create, replace,
// delete (mode=replace only) and unchanged. Pure; the service checks and applies the plan.
import { normalizeRelaySpec, type Relay, type RelaySpec } from '@mcr/model';
import { describeChanges } from '../relays/change-diff';

export type ImportMode = 'merge' | 'replace';

export interface ImportPlan {
  create: { index: number; spec: RelaySpec }[];
  /** `changes` lists each field the rule changes ("outputs[0].port: 6000 -> 6001"). */
  replace: { index: number; id: string; spec: RelaySpec; changes: string[] }[];
  delete: Relay[];
  unchanged: Relay[];
  /** The relays the store holds after the import, for loop checks: rule index or undefined. */
  after: { relay: RelaySpec; index?: number; id?: string }[];
}

export function planImport(rules: RelaySpec[], current: Relay[], mode: ImportMode): ImportPlan {
  const byName = new Map(current.map((relay) => [relay.name, relay]));
  const named = new Set(rules.map((rule) => rule.name));
  const plan: ImportPlan = { create: [], replace: [], delete: [], unchanged: [], after: [] };
  rules.forEach((spec, index) => {
    const existing = byName.get(spec.name);
    if (existing === undefined) plan.create.push({ index, spec });
    else if (sameSpec(existing, spec)) plan.unchanged.push(existing);
    else plan.replace.push({ index, id: existing.id, spec, changes: changesOf(existing, spec) });
    plan.after.push({ relay: spec, index, id: existing?.id });
  });
  for (const relay of current) {
    if (named.has(relay.name)) continue;
    if (mode === 'replace') plan.delete.push(relay);
    else plan.after.push({ relay, id: relay.id });
  }
  return plan;
}

function sameSpec(relay: Relay, spec: RelaySpec): boolean {
  const stored: RelaySpec = { name: relay.name, enabled: relay.enabled, input: relay.input, outputs: relay.outputs };
  return canonical(stored) === canonical({ ...spec, enabled: spec.enabled ?? true });
}

function changesOf(relay: Relay, spec: RelaySpec): string[] {
  const { id: _id, revision: _revision, ...stored } = relay;
  return describeChanges(normalizeRelaySpec(stored), normalizeRelaySpec(spec));
}

/** JSON with sorted keys, so key order never makes two equal relays differ. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}
