// Applies MCR_INTERFACE_MAP: the store holds logical interface names shared by HA peers; the
// engine, the host check and loop detection see this node's real names.
import { applyInterfaceMap, parseInterfaceMap, type IngressOwner, type RelayInput, type RelaySpec } from '@mcr/model';

export class InterfaceMapper {
  private readonly map: ReturnType<typeof parseInterfaceMap> | undefined;

  constructor(text: string | undefined) {
    this.map = text === undefined ? undefined : parseInterfaceMap(text);
  }

  toHost<T extends RelaySpec>(spec: T): T {
    if (this.map === undefined) return spec;
    return { ...spec, ...applyInterfaceMap(spec, this.map) };
  }

  ingressToHost(input: RelayInput): RelayInput {
    return this.toHost({ name: 'ingress', input, outputs: [] }).input;
  }

  /** The relay's ingresses (input and B leg) with this node's interface names, for loop checks. */
  ingressesToHost(relay: IngressOwner): IngressOwner {
    const owner: IngressOwner = { name: relay.name, input: this.ingressToHost(relay.input) };
    if (relay.redundancy !== undefined) owner.redundancy = { input: this.ingressToHost(relay.redundancy.input) };
    return owner;
  }
}
