// The RelayStore contract: where desired relay configuration lives. FileStore (embedded default)
// and EtcdStore implement it; one contract test suite runs against every implementation.
import type { Relay, RelaySpec } from '@mcr/model';

/** A change seen by watch(): the relay after the change, or its id for a delete. */
export type RelayChange =
  { type: 'put'; relay: Relay; revision: number } | { type: 'delete'; id: string; revision: number };

export interface RelayList {
  relays: Relay[];
  /**
   * Store revision the list reflects: every change up to and including it is in `relays`.
   * `watch(revision)` (exclusive: changes with a revision > it) then misses nothing.
   */
  revision: number;
}

/** Thrown by replace/delete when the expected revision does not match (HTTP 412). */
export class RevisionMismatchError extends Error {
  constructor(
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`relay ${id} is at revision ${actual}, not ${expected}`);
    this.name = 'RevisionMismatchError';
  }
}

/** Thrown when an id does not exist (HTTP 404). */
export class RelayNotFoundError extends Error {
  constructor(readonly id: string) {
    super(`relay ${id} not found`);
    this.name = 'RelayNotFoundError';
  }
}

/** Thrown when a create/replace would duplicate a unique key (name, ingress) (HTTP 409). */
export class RelayConflictError extends Error {
  constructor(
    readonly field: 'name' | 'input' | 'redundancy.input' | 'id',
    message: string,
  ) {
    super(message);
    this.name = 'RelayConflictError';
  }
}

/** Thrown by create/replace/apply for a spec that validateRelaySpec rejects (HTTP 400). */
export class InvalidRelayError extends Error {
  constructor(readonly messages: string[]) {
    super(`invalid relay: ${messages.join('; ')}`);
    this.name = 'InvalidRelayError';
  }
}

/**
 * Thrown by watch() when changes after `fromRevision` are no longer kept (etcd compaction, or the
 * FileStore's bounded history): list() again and watch from the new list's revision.
 */
export class RevisionCompactedError extends Error {
  constructor(
    readonly fromRevision: number,
    readonly oldestWatchable: number,
  ) {
    super(
      `cannot watch from revision ${fromRevision}: changes up to revision ${oldestWatchable} are no longer kept; ` +
        `list() again and watch from its revision`,
    );
    this.name = 'RevisionCompactedError';
  }
}

/** Thrown when the store cannot be reached or written (HTTP 503). */
export class StoreUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

export interface RelayStore {
  /** Opens the store (reads the file, connects); throws with a clear message when it cannot. */
  open(): Promise<void>;
  close(): Promise<void>;

  list(): Promise<RelayList>;
  get(id: string): Promise<Relay | undefined>;

  /** Durably stores a new relay with a generated id; resolves only after it is on disk/in etcd. */
  create(spec: RelaySpec): Promise<Relay>;
  /**
   * Replaces a relay. With `expectedRevision`, fails with RevisionMismatchError when the stored
   * revision differs. Rejects RelayNotFoundError for an unknown id.
   */
  replace(id: string, spec: RelaySpec, expectedRevision?: number): Promise<Relay>;
  /** Deletes a relay; rejects RelayNotFoundError for an unknown id. */
  delete(id: string, expectedRevision?: number): Promise<void>;

  /**
   * Applies a set of creates/replaces/deletes all-or-nothing (import), as one revision: deletes
   * first, then replaces, then creates (so a batch may delete a relay and create one with its name
   * or ingress). Returns the replaced relays, then the created ones, in batch order. On any error
   * (not found, conflict, invalid spec) nothing changes.
   */
  apply(batch: { create: RelaySpec[]; replace: { id: string; spec: RelaySpec }[]; delete: string[] }): Promise<Relay[]>;

  /**
   * Calls `onChange` for every change with a revision greater than `fromRevision`, in order,
   * exactly once, including changes made through other processes sharing the store, and changes
   * made before watch() was called. So `list()` then `watch(list.revision)` misses nothing.
   * Changes of one apply() share a revision. Delivery is asynchronous (never inside watch() or a
   * mutation call). Throws RevisionCompactedError when those changes are no longer kept.
   * Returns a function that stops delivery.
   */
  watch(fromRevision: number, onChange: (change: RelayChange) => void): () => void;
}
