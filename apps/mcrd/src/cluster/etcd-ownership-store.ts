// OwnershipStore on etcd: `<prefix>/<cluster>/owners/<relayId>` holds the owner's node id on its
// lease, so a node's relays are freed exactly when its lease expires (or is revoked), never before:
// the fencing deadline has stopped its workers by then. A claim is a create-revision transaction.
import type { Etcd3, EtcdKeys } from '@mcr/store';
import { prefixEnd } from '@mcr/store';
import type { OwnershipStore, Owners } from './ownership-store';

/** Claims per transaction: well under etcd's default --max-txn-ops (128), compares and puts included. */
const CLAIMS_PER_TXN = 60;

export class EtcdOwnershipStore implements OwnershipStore {
  constructor(
    private readonly client: Etcd3,
    private readonly keys: EtcdKeys,
    private readonly nodeId: string,
  ) {}

  async owners(): Promise<Owners> {
    const response = await this.client.kv.range({
      key: Buffer.from(this.keys.owners),
      range_end: prefixEnd(this.keys.owners),
    });
    const owners: Owners = new Map();
    for (const kv of response.kvs) {
      owners.set(kv.key.toString().slice(this.keys.owners.length), kv.value.toString());
    }
    return owners;
  }

  /**
   * Chunks of relays in one transaction each (the common case after a node failure: hundreds of
   * free relays, a few raft writes); a chunk another node raced for is retried relay by relay.
   */
  async claim(relayIds: readonly string[], leaseId: string): Promise<string[]> {
    const claimed: string[] = [];
    for (let start = 0; start < relayIds.length; start += CLAIMS_PER_TXN) {
      const chunk = relayIds.slice(start, start + CLAIMS_PER_TXN);
      if (await this.claimAll(chunk, leaseId)) claimed.push(...chunk);
      else if (chunk.length > 1) for (const id of chunk) if (await this.claimAll([id], leaseId)) claimed.push(id);
    }
    return claimed;
  }

  async release(relayId: string, leaseId: string): Promise<void> {
    const key = Buffer.from(this.keys.owner(relayId));
    await this.client.kv.txn({
      compare: [{ key, target: 'Lease', result: 'Equal', lease: leaseId }],
      success: [{ request_delete_range: { key } }],
    });
  }

  watch(onChange: () => void, onProblem: (message: string) => void): () => Promise<void> {
    const watcher = this.client.watch().prefix(this.keys.owners).watcher();
    watcher.on('put', onChange);
    watcher.on('delete', onChange);
    watcher.on('connected', onChange);
    watcher.on('error', (error: Error) => onProblem(`watch of ${this.keys.owners} failed: ${error.message}`));
    return async () => {
      await watcher.cancel().catch(() => undefined);
    };
  }

  private async claimAll(relayIds: readonly string[], leaseId: string): Promise<boolean> {
    const keys = relayIds.map((id) => Buffer.from(this.keys.owner(id)));
    const response = await this.client.kv.txn({
      compare: keys.map((key) => ({ key, target: 'Create' as const, result: 'Equal' as const, create_revision: 0 })),
      success: keys.map((key) => ({ request_put: { key, value: Buffer.from(this.nodeId), lease: leaseId } })),
    });
    return response.succeeded;
  }
}
