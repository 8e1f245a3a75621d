// The identity of an ingress for the one-relay-per-ingress rule (HTTP 409): two inputs with the
// same key would receive the same datagrams. A redundant relay has two ingresses (its legs), and
// each is as exclusive as a plain relay's input.
import { relaySpec } from '@mcr/contract';
import { canonicalAddress } from './address';
import { describeEndpoint } from './describe';
import type { RelayInput, RelayRedundancy } from './relay';

/** `interface|group|port|sources`, with canonical addresses and the source list sorted. */
export function ingressKey(input: RelayInput): string {
  const sources = (input.sources ?? []).map(canonicalAddress).sort();
  return [input.interface, canonicalAddress(input.group), String(input.port), sources.join(',')].join('|');
}

/** One ingress of a relay and the field of the resource that declares it. */
export interface RelayIngress {
  field: 'input' | 'redundancy.input';
  input: RelayInput;
}

/** The relay's ingresses: its input, and the B leg of `redundancy` when it has one. */
export function ingressesOf(spec: { input: RelayInput; redundancy?: Pick<RelayRedundancy, 'input'> }): RelayIngress[] {
  const ingresses: RelayIngress[] = [{ field: 'input', input: spec.input }];
  if (spec.redundancy !== undefined) ingresses.push({ field: 'redundancy.input', input: spec.redundancy.input });
  return ingresses;
}

/** HTTP 422: a B leg that is the primary input again would only ever bring the same datagrams twice. */
export function findLegClash(spec: { input: RelayInput; redundancy?: Pick<RelayRedundancy, 'input'> }): string[] {
  if (spec.redundancy === undefined || ingressKey(spec.redundancy.input) !== ingressKey(spec.input)) return [];
  return [
    `redundancy.input (${describeEndpoint(spec.redundancy.input)}) must be ${relaySpec.redundancy.sameInputRule}`,
  ];
}
