// Imports larger than one etcd transaction. etcd refuses a transaction of more than --max-txn-ops
// operations (128 by default), so a larger import is committed as one journal key (one put: all or
// nothing) and then copied to the relay keys in chunks. Until the copy is done, readers lay the
// journal over the relay keys and every writer finishes the copy before its own write, so the
// import is seen whole or not at all, even when its writer dies half-way through the copy.
import type { Relay } from '@mcr/model';
import type { Etcd3, IKeyValue, IRequestOp } from 'etcd3';
import type { EtcdKeys } from './etcd-keys';
import { InvalidRelayError } from './relay-store';
import { storedRelay } from './relay-table';

/** etcd's default --max-txn-ops: the most operations one transaction may hold. */
export const ETCD_MAX_TXN_OPS = 128;
/**
 * The largest import (its relays as JSON) that stays all-or-nothing on etcd: the journal is one
 * put, and etcd's default --max-request-bytes is 1.5 MiB. About 4,000 one-output relays.
 */
export const ETCD_IMPORT_MAX_BYTES = 1024 * 1024;
/** Each copy transaction also rewrites the guard and, the last one, deletes the journal. */
const COPY_CHUNK_OPS = ETCD_MAX_TXN_OPS - 2;

/** A committed import that is not (yet) copied to the relay keys. */
export interface PendingImport {
  /** The journal's mod revision: the import's revision, and the revision of its relays meanwhile. */
  revision: number;
  puts: Relay[];
  deletes: string[];
}

/** Thrown before anything is written when an import is larger than the etcd store takes at once (HTTP 400). */
export class ImportTooLargeError extends InvalidRelayError {
  constructor(relays: number, bytes: number) {
    super([
      `the import (${relays} relays, ${bytes} bytes of relay JSON) is larger than the etcd store applies ` +
        `all-or-nothing (${ETCD_IMPORT_MAX_BYTES} bytes, about 4,000 one-output relays): import it in parts`,
    ]);
    this.name = 'ImportTooLargeError';
  }
}

/** Operations one plain transaction would need: one per relay, plus the guard. */
export function fitsOneTransaction(puts: readonly Relay[], deletes: readonly string[]): boolean {
  return puts.length + deletes.length + 1 <= ETCD_MAX_TXN_OPS;
}

/** The journal's value; throws ImportTooLargeError when etcd would refuse it. */
export function encodeImport(puts: readonly Relay[], deletes: readonly string[]): Buffer {
  const value = Buffer.from(JSON.stringify({ puts: puts.map(withoutRevision), deletes }));
  if (value.length > ETCD_IMPORT_MAX_BYTES) throw new ImportTooLargeError(puts.length, value.length);
  return value;
}

export function decodeImport(kv: IKeyValue): PendingImport {
  const revision = Number(kv.mod_revision);
  let journal: { puts: Relay[]; deletes: string[] };
  try {
    journal = JSON.parse(kv.value.toString()) as typeof journal;
  } catch (error) {
    throw new Error(`etcd key ${kv.key.toString()} does not hold an import (not JSON: ${(error as Error).message})`);
  }
  const puts = journal.puts.map(({ id, ...spec }) => storedRelay(id, spec, revision, true));
  return { revision, puts, deletes: journal.deletes };
}

/** The relays as they are with the pending import applied: what every reader sees. */
export function withImport(relays: readonly Relay[], pending: PendingImport | undefined): Relay[] {
  if (pending === undefined) return [...relays];
  const replaced = new Set([...pending.deletes, ...pending.puts.map((relay) => relay.id)]);
  return [...relays.filter((relay) => !replaced.has(relay.id)), ...pending.puts];
}

export interface CopyResult {
  /** The revision each put relay got when its key was written. */
  revisions: Map<string, number>;
  /** The guard's mod revision after the last copy transaction. */
  guardRevision: number;
}

/**
 * Copies a pending import to the relay keys, chunk by chunk, the last chunk deleting the journal.
 * Each chunk is guarded like any write; undefined when another node wrote meanwhile (it finished
 * the copy itself: writers always do before their own write).
 */
export async function copyImport(
  client: Etcd3,
  keys: EtcdKeys,
  pending: PendingImport,
  guardRevision: number,
  call: <T>(what: string, request: () => Promise<T>) => Promise<T>,
): Promise<CopyResult | undefined> {
  const ops = importOps(keys, pending);
  const revisions = new Map<string, number>();
  let guard = guardRevision;
  for (let start = 0; start < ops.length || start === 0; start += COPY_CHUNK_OPS) {
    const chunk = ops.slice(start, start + COPY_CHUNK_OPS);
    const last = start + COPY_CHUNK_OPS >= ops.length;
    const response = await call('import copy', () =>
      client.kv.txn({
        compare: [{ key: Buffer.from(keys.relaysGuard), target: 'Mod', result: 'Equal', mod_revision: guard }],
        success: [
          ...chunk.map(({ op }) => op),
          { request_put: { key: Buffer.from(keys.relaysGuard), value: Buffer.from('') } },
          ...(last ? [{ request_delete_range: { key: Buffer.from(keys.relaysImport) } }] : []),
        ],
      }),
    );
    if (!response.succeeded) return undefined;
    guard = Number(response.header.revision);
    for (const { putId } of chunk) if (putId !== undefined) revisions.set(putId, guard);
  }
  return { revisions, guardRevision: guard };
}

function importOps(keys: EtcdKeys, pending: PendingImport): { op: IRequestOp; putId?: string }[] {
  return [
    ...pending.deletes.map((id) => ({ op: { request_delete_range: { key: Buffer.from(keys.relay(id)) } } })),
    ...pending.puts.map((relay) => ({
      op: { request_put: { key: Buffer.from(keys.relay(relay.id)), value: relayValue(relay) } },
      putId: relay.id,
    })),
  ];
}

/** The value stored for a relay: everything but the revision, which etcd keeps as mod_revision. */
export function relayValue(relay: Relay): Buffer {
  return Buffer.from(JSON.stringify(withoutRevision(relay)));
}

function withoutRevision(relay: Relay): Omit<Relay, 'revision'> {
  const { revision: _revision, ...rest } = relay;
  return rest;
}
