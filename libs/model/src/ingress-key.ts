// The identity of an ingress for the one-relay-per-ingress rule (HTTP 409): two inputs with the
// same key would receive the same datagrams.
import { canonicalAddress } from './address';
import type { RelayInput } from './relay';

/** `interface|group|port|sources`, with canonical addresses and the source list sorted. */
export function ingressKey(input: RelayInput): string {
  const sources = (input.sources ?? []).map(canonicalAddress).sort();
  return [input.interface, canonicalAddress(input.group), String(input.port), sources.join(',')].join('|');
}
