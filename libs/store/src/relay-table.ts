// The relays of a store in memory, with the uniqueness rules (one relay per name, one per ingress)
// enforced on every change. Stores apply mutations to a clone and keep it only once it is durable.
import {
  ingressesOf,
  ingressKey,
  normalizeRelaySpec,
  validateRelaySpec,
  describeEndpoint,
  type Relay,
  type RelaySpec,
} from '@mcr/model';
import { InvalidRelayError, RelayConflictError, RelayNotFoundError, RevisionMismatchError } from './relay-store';

export class RelayTable {
  private constructor(
    private relays: Map<string, Relay>,
    private idByName: Map<string, string>,
    private idByIngress: Map<string, string>,
  ) {}

  static empty(): RelayTable {
    return new RelayTable(new Map(), new Map(), new Map());
  }

  /** Builds a table from stored relays; throws RelayConflictError if they break a unique rule. */
  static of(relays: readonly Relay[]): RelayTable {
    const table = RelayTable.empty();
    for (const relay of relays) {
      if (table.relays.has(relay.id)) throw new RelayConflictError('id', `relay id '${relay.id}' appears twice`);
      table.checkUnique(relay, relay.id);
      table.insert(relay);
    }
    return table;
  }

  clone(): RelayTable {
    return new RelayTable(new Map(this.relays), new Map(this.idByName), new Map(this.idByIngress));
  }

  /** Takes over the contents of `other` (a clone that a multi-step change succeeded on). */
  adopt(other: RelayTable): void {
    this.relays = other.relays;
    this.idByName = other.idByName;
    this.idByIngress = other.idByIngress;
  }

  get(id: string): Relay | undefined {
    return this.relays.get(id);
  }

  has(id: string): boolean {
    return this.relays.has(id);
  }

  list(): Relay[] {
    return [...this.relays.values()];
  }

  create(spec: RelaySpec, id: string, revision: number): Relay {
    const relay = storedRelay(id, spec, revision);
    this.checkUnique(relay, id);
    this.insert(relay);
    return relay;
  }

  replace(id: string, spec: RelaySpec, revision: number, expectedRevision?: number): Relay {
    const current = this.existing(id, expectedRevision);
    const relay = storedRelay(id, spec, revision);
    this.checkUnique(relay, id);
    this.unindex(current);
    this.insert(relay); // Map.set on an existing id keeps the relay's place in list order
    return relay;
  }

  delete(id: string, expectedRevision?: number): void {
    this.remove(this.existing(id, expectedRevision));
  }

  private existing(id: string, expectedRevision: number | undefined): Relay {
    const current = this.relays.get(id);
    if (current === undefined) throw new RelayNotFoundError(id);
    if (expectedRevision !== undefined && expectedRevision !== current.revision) {
      throw new RevisionMismatchError(id, expectedRevision, current.revision);
    }
    return current;
  }

  /** A relay may keep its own name and ingress; nobody else may take them. */
  private checkUnique(relay: Relay, ownId: string): void {
    const nameOwner = this.idByName.get(relay.name);
    if (nameOwner !== undefined && nameOwner !== ownId) {
      throw new RelayConflictError('name', `relay name '${relay.name}' is already used by relay ${nameOwner}`);
    }
    for (const { field, input } of ingressesOf(relay)) {
      const ingressOwner = this.idByIngress.get(ingressKey(input));
      if (ingressOwner === undefined || ingressOwner === ownId) continue;
      const owner = this.relays.get(ingressOwner);
      throw new RelayConflictError(
        field,
        `${field === 'input' ? '' : `${field}: `}ingress ${describeEndpoint(input)} is already used by relay '${owner?.name}' (${ingressOwner})`,
      );
    }
  }

  private insert(relay: Relay): void {
    this.relays.set(relay.id, relay);
    this.idByName.set(relay.name, relay.id);
    for (const { input } of ingressesOf(relay)) this.idByIngress.set(ingressKey(input), relay.id);
  }

  private remove(relay: Relay): void {
    this.relays.delete(relay.id);
    this.unindex(relay);
  }

  private unindex(relay: Relay): void {
    this.idByName.delete(relay.name);
    for (const { input } of ingressesOf(relay)) this.idByIngress.delete(ingressKey(input));
  }
}

/**
 * Validated, normalised, in resource key order (id first, revision last), and frozen. `readBack`:
 * the relay comes from the store itself (loaded, watched, replayed), so it was accepted before and
 * only the rules for new names that came later are waived (see ValidateOptions.alreadyStored).
 */
export function storedRelay(id: string, spec: RelaySpec, revision: number, readBack = false): Relay {
  const messages = validateRelaySpec(spec, { allowServerFields: true, alreadyStored: readBack });
  if (messages.length > 0) throw new InvalidRelayError(messages);
  return deepFreeze({ id, ...normalizeRelaySpec(spec), revision });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}
