// What a node needs from the shared store to own relays (MCR_PLACEMENT=relay): the owner keys,
// each on its owner's lease, created only where absent. etcd implements it (etcd-ownership-store.ts).

/** relay id → owning node id. */
export type Owners = Map<string, string>;

export interface OwnershipStore {
  owners(): Promise<Owners>;
  /**
   * Creates the owner key of each relay that has none, on `leaseId`; resolves the relays this
   * node now owns (a relay another node claimed first is left out).
   */
  claim(relayIds: readonly string[], leaseId: string): Promise<string[]>;
  /** Deletes the owner key if it is still on `leaseId`. */
  release(relayId: string, leaseId: string): Promise<void>;
  /** Calls `onChange` when an owner key changes (and on every (re)connection); returns the cancel. */
  watch(onChange: () => void, onProblem: (message: string) => void): () => Promise<void>;
}
