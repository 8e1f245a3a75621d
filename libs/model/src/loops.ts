// Loop detection (HTTP 422): an output that sends to an ingress on the same node (same interface,
// group and port) would feed the relay its own traffic, or another relay's, forever. Every leg of
// a redundant relay is an ingress.
import { canonicalAddress } from './address';
import { describeEndpoint, show } from './describe';
import { ingressesOf } from './ingress-key';
import type { RelayInput, RelaySpec } from './relay';

/** An ingress already on the node; `name` makes the message say whose it is. */
export interface IngressOwner {
  name?: string;
  input: RelayInput;
  redundancy?: { input: RelayInput };
}

/**
 * Messages for every output of `spec` that equals one of its own ingresses or one of
 * `otherIngresses`. When replacing a relay, leave its old version out of `otherIngresses`. Sources
 * are ignored on purpose: this node's own address may well be in the source list. Expects a valid spec.
 */
export function findLoops(spec: RelaySpec, otherIngresses: readonly IngressOwner[]): string[] {
  const messages: string[] = [];
  const own = ingressesOf(spec);
  spec.outputs.forEach((output, index) => {
    const target = endpointKey(output);
    const where = `outputs[${index}] (${describeEndpoint({ ...output, group: canonicalAddress(output.group) })})`;
    for (const ingress of own) {
      if (endpointKey(ingress.input) !== target) continue;
      const which = ingress.field === 'input' ? 'ingress' : 'B-leg ingress (redundancy.input)';
      messages.push(`${where} is this relay's own ${which}: it would loop`);
    }
    for (const other of otherIngresses) {
      if (!ingressesOf(other).some((ingress) => endpointKey(ingress.input) === target)) continue;
      const owner = other.name === undefined ? 'another relay' : `relay ${show(other.name)}`;
      messages.push(`${where} is the ingress of ${owner}: it would loop`);
    }
  });
  return messages;
}

function endpointKey(endpoint: { interface: string; group: string; port: number }): string {
  return `${endpoint.interface}|${canonicalAddress(endpoint.group)}|${endpoint.port}`;
}
