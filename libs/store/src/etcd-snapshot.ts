// Reading MCR's relays out of etcd: one consistent snapshot (relays and the write guard at one
// revision), and the conversion between etcd key-values and stored relays.
import type { Relay } from '@mcr/model';
import type { Etcd3, IKeyValue } from 'etcd3';
import { prefixEnd, type EtcdKeys } from './etcd-keys';
import { RelayTable, storedRelay } from './relay-table';

export interface RelaySnapshot {
  table: RelayTable;
  /** etcd revision the snapshot reflects. */
  revision: number;
  /** Mod revision of the write guard (0 before the first write). */
  guardRevision: number;
}

export async function readSnapshot(client: Etcd3, keys: EtcdKeys): Promise<RelaySnapshot> {
  const response = await client.kv.txn({
    success: [
      { request_range: { key: Buffer.from(keys.relays), range_end: prefixEnd(keys.relays) } },
      { request_range: { key: Buffer.from(keys.relaysGuard) } },
    ],
  });
  const [relays, guard] = response.responses.map((op) => op.response_range?.kvs ?? []);
  return {
    table: RelayTable.of(relays.map((kv) => relayFromKv(keys, kv))),
    revision: Number(response.header.revision),
    guardRevision: guard.length === 0 ? 0 : Number(guard[0].mod_revision),
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
  return storedRelay(id, rest, Number(kv.mod_revision));
}

/** The value stored for a relay: everything but the revision, which etcd keeps as mod_revision. */
export function relayValue(relay: Relay): Buffer {
  const { revision: _revision, ...rest } = relay;
  return Buffer.from(JSON.stringify(rest));
}
