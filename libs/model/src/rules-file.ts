// Rules files for POST /api/v1/import and GET /api/v1/export: JSON5 `{ rules: [...] }` as other
// multicast relays write it, plus MCR's own fields. Parsing is all or nothing; export round-trips.
import JSON5 from 'json5';
import { describeEndpoint, show } from './describe';
import { findLegClash, ingressesOf, ingressKey } from './ingress-key';
import { nestsDeeperThan, tooDeepMessage } from './nesting';
import { normalizeRelaySpec, type NormalizedRelaySpec } from './normalize';
import type { Relay, RelaySpec } from './relay';
import { validateRelaySpec } from './validate';

export interface RulesFile {
  rules: NormalizedRelaySpec[];
}

/** A rules file that cannot be imported; `messages` name the rule (index and name) and the field. */
export class RulesFileError extends Error {
  constructor(readonly messages: string[]) {
    super(`rules file rejected: ${messages.join('; ')}`);
    this.name = 'RulesFileError';
  }
}

/** Parses, validates and normalises every rule, or throws RulesFileError listing every problem. */
export function parseRulesFile(text: string): RulesFile {
  const document = parseJson5(text);
  if (nestsDeeperThan(document)) throw new RulesFileError([tooDeepMessage('rules file')]);
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new RulesFileError([`rules file must be an object { rules: [...] }, got ${show(document)}`]);
  }
  const fields = document as Record<string, unknown>;
  const messages = Object.keys(fields)
    .filter((key) => key !== 'rules')
    .map((key) => `${key} is not a known field of a rules file (only 'rules')`);
  if (!Array.isArray(fields.rules)) {
    throw new RulesFileError([...messages, `rules must be an array of relays, got ${show(fields.rules)}`]);
  }
  const rules: unknown[] = fields.rules;
  rules.forEach((rule, index) => {
    const prefix = rulePrefix(rule, index);
    messages.push(...validateRelaySpec(rule).map((message) => `${prefix}: ${message}`));
  });
  if (messages.length > 0) throw new RulesFileError(messages);
  const specs = (rules as RelaySpec[]).map(normalizeRelaySpec);
  const duplicates = [
    ...specs.flatMap((spec, index) => findLegClash(spec).map((message) => `${rulePrefix(spec, index)}: ${message}`)),
    ...findDuplicates(specs),
  ];
  if (duplicates.length > 0) throw new RulesFileError(duplicates);
  return { rules: specs };
}

/** The relays as a rules file: normalised, without id and revision, stable key order, pretty JSON. */
export function formatRulesFile(relays: readonly (Relay | RelaySpec)[]): string {
  const rules = relays.map(normalizeRelaySpec);
  return `${JSON.stringify({ rules }, null, 2)}\n`;
}

function parseJson5(text: string): unknown {
  try {
    return JSON5.parse(text);
  } catch (error) {
    const syntax = error as { lineNumber?: number; columnNumber?: number; message?: string };
    const where = syntax.lineNumber !== undefined ? ` at line ${syntax.lineNumber}, column ${syntax.columnNumber}` : '';
    const reason = (syntax.message ?? String(error)).replace(/^JSON5: /, '').replace(/ at \d+:\d+$/, '');
    throw new RulesFileError([`rules file is not valid JSON5${where}: ${reason}`]);
  }
}

/** `rules[3] (market-b)`, or `rules[3]` when the rule has no usable name. */
function rulePrefix(rule: unknown, index: number): string {
  const name = typeof rule === 'object' && rule !== null ? (rule as { name?: unknown }).name : undefined;
  return typeof name === 'string' && name.trim() !== '' ? `rules[${index}] (${name})` : `rules[${index}]`;
}

/** Names and ingresses must be unique within the file, as in the store. */
function findDuplicates(specs: RelaySpec[]): string[] {
  const messages: string[] = [];
  const names = new Map<string, number>();
  const ingresses = new Map<string, number>();
  specs.forEach((spec, index) => {
    const prefix = rulePrefix(spec, index);
    const sameName = names.get(spec.name);
    if (sameName !== undefined) messages.push(`${prefix}: name ${show(spec.name)} duplicates rules[${sameName}]`);
    else names.set(spec.name, index);
    for (const { field, input } of ingressesOf(spec)) {
      const key = ingressKey(input);
      const sameIngress = ingresses.get(key);
      if (sameIngress !== undefined && sameIngress !== index) {
        const other = rulePrefix(specs[sameIngress], sameIngress);
        messages.push(`${prefix}: ${field} (${describeEndpoint(input)}) duplicates the ingress of ${other}`);
      } else {
        ingresses.set(key, index);
      }
    }
  });
  return messages;
}
