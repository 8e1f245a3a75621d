// Reading MCR's relays out of etcd: one consistent snapshot (relays, a pending large import laid
// over them, and the write guard, at one revision), and the conversion from etcd key-values.
import type { Relay } from '@mcr/model';
import type { Etcd3, IKeyValue } from 'etcd3';
import { decodeImport, withImport, type PendingImport } from './etcd-import';
import { prefixEnd, type EtcdKeys } from './etcd-keys';
import { RelayTable, storedRelay } from './relay-table';

export { relayValue } from './etcd-import';

export interface RelaySnapshot {
  /** The relays, a pending import included. */
  table: RelayTable;
  /** etcd revision the snapshot reflects. */
  revision: number;
  /** Mod revision of the write guard (0 before the first write). */
  guardRevision: number;
  /** An import committed but not yet copied to the relay keys: writers finish it first. */
  pendingImport?: PendingImport;
}

export async function readSnapshot(client: Etcd3, keys: EtcdKeys): Promise<RelaySnapshot> {
  const response = await client.kv.txn({
    success: [
      { request_range: { key: Buffer.from(keys.relays), range_end: prefixEnd(keys.relays) } },
      { request_range: { key: Buffer.from(keys.relaysGuard) } },
      { request_range: { key: Buffer.from(keys.relaysImport) } },
    ],
  });
  const [relays, guard, journal] = response.responses.map((op) => op.response_range?.kvs ?? []);
  const pendingImport = journal.length === 0 ? undefined : decodeImport(journal[0]);
  return {
    table: RelayTable.of(
      withImport(
        relays.map((kv) => relayFromKv(keys, kv)),
        pendingImport,
      ),
    ),
    revision: Number(response.header.revision),
    guardRevision: guard.length === 0 ? 0 : Number(guard[0].mod_revision),
    pendingImport,
  };
}

export function relayFromKv(keys: EtcdKeys, kv: IKeyValue): Relay {
  const key = kv.key.toString();
  const id = key.slice(keys.relays.length);
  let spec: unknown;
  try {
    spec = JSON.parse(kv.value.toString());
  } catch (error) {
    throw new Error(`etcd key ${key} does not hold a relay (not JSON: ${(error as Error).message})`);
  }
  const { id: _storedId, revision: _revision, ...rest } = spec as Relay;
  return storedRelay(id, rest, Number(kv.mod_revision), true);
}
