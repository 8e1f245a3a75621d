// EtcdStore (MCR_STORE=etcd://...): the relays of an HA cluster in etcd, one key per relay. Writes
// are transactions guarded by a key every write rewrites, so two nodes writing at once never lose
// an update; one watch per process feeds every subscriber and never misses a change. An import
// too large for one transaction goes through a journal (etcd-import.ts), all-or-nothing still.
import { randomUUID } from 'node:crypto';
import type { Relay, RelaySpec } from '@mcr/model';
import type { Etcd3, IRequestOp } from 'etcd3';
import {
  createEtcdClient,
  DEFAULT_ETCD_CALL_TIMEOUT_MS,
  isEtcdUnavailable,
  parseEtcdUrl,
  type EtcdConnectionOptions,
} from './etcd-connection';
import {
  copyImport,
  decodeImport,
  encodeImport,
  fitsOneTransaction,
  withImport,
  type PendingImport,
} from './etcd-import';
import { EtcdKeys } from './etcd-keys';
import { EtcdRelayWatch } from './etcd-relay-watch';
import { readSnapshot, relayFromKv, relayValue, type RelaySnapshot } from './etcd-snapshot';
import { DEFAULT_WATCH_HISTORY_CHANGES } from './file-store';
import { StoreUnavailableError, type RelayChange, type RelayList, type RelayStore } from './relay-store';
import { RelayTable } from './relay-table';
import { probeTls } from './tls-probe';

/** A write that keeps losing the race to other nodes' writes gives up after this many tries. */
const MAX_WRITE_ATTEMPTS = 20;
/** How long the reason a TLS handshake failed is reused before the next failure probes again. */
const TLS_PROBE_REUSE_MS = 10_000;

export interface EtcdStoreOptions extends EtcdConnectionOptions {
  /** MCR_ETCD_PREFIX (default /mcr) and MCR_CLUSTER (default `default`). */
  prefix?: string;
  cluster?: string;
  watchHistoryChanges?: number;
  /** Where watch trouble is reported (it retries by itself); default: ignored. */
  onProblem?: (message: string) => void;
  /**
   * The process's etcd client, shared with leadership (one connection per process). Its owner
   * closes it; without one the store creates its own from the URL and closes it itself.
   */
  client?: Etcd3;
}

/** What a mutation does to a draft of the table; `result` gets the revision each put relay got. */
interface Outcome<T> {
  puts: Relay[];
  deletes: string[];
  result: (revisionOf: (id: string) => number) => T;
}

/** A committed write: the revision of each put relay, and the guard's revision (undefined: re-read). */
interface Committed {
  revisionOf: (id: string) => number;
  guardRevision?: number;
}

export class EtcdStore implements RelayStore {
  readonly keys: EtcdKeys;
  private client?: Etcd3;
  private relayWatch?: EtcdRelayWatch;
  /** The table as this process last wrote or read it; verified by the guard on every write. */
  private cache?: RelaySnapshot;
  private queue: Promise<unknown> = Promise.resolve();
  private closing = false;
  private lastTlsProbe?: { at: number; text: Promise<string> };
  /** Requests sent to etcd so far (reads and transactions), for the HA measurements. */
  roundTrips = 0;

  constructor(private readonly options: EtcdStoreOptions) {
    this.keys = new EtcdKeys(options.prefix ?? '/mcr', options.cluster ?? 'default');
  }

  get url(): string {
    return this.options.url;
  }

  async open(): Promise<void> {
    if (this.client !== undefined) throw new Error(`relay store ${this.url} is already open`);
    const client = this.options.client ?? createEtcdClient(this.options);
    let snapshot: RelaySnapshot;
    try {
      snapshot = await this.call('open', () => readSnapshot(client, this.keys));
    } catch (error) {
      if (this.ownsClient) client.close();
      throw error;
    }
    this.client = client;
    this.closing = false;
    this.cache = snapshot;
    const historyLimit = this.options.watchHistoryChanges ?? DEFAULT_WATCH_HISTORY_CHANGES;
    const onProblem = this.options.onProblem ?? (() => undefined);
    this.relayWatch = new EtcdRelayWatch(
      client,
      this.keys,
      snapshot.table.list(),
      snapshot.revision,
      historyLimit,
      { onProblem },
      snapshot.pendingImport !== undefined,
    );
    this.relayWatch.start();
  }

  async close(): Promise<void> {
    if (this.client === undefined) return;
    this.closing = true;
    await this.queue.catch(() => undefined);
    this.relayWatch?.stop();
    if (this.ownsClient) this.client.close();
    this.client = undefined;
    this.relayWatch = undefined;
    this.cache = undefined;
  }

  async list(): Promise<RelayList> {
    const client = this.opened();
    const snapshot = await this.call('list', () => readSnapshot(client, this.keys));
    return { relays: snapshot.table.list().map(copy), revision: snapshot.revision };
  }

  async get(id: string): Promise<Relay | undefined> {
    const client = this.opened();
    const response = await this.call('get', () =>
      client.kv.txn({
        success: [
          { request_range: { key: Buffer.from(this.keys.relay(id)) } },
          { request_range: { key: Buffer.from(this.keys.relaysImport) } },
        ],
      }),
    );
    const [relay, journal] = response.responses.map((op) => op.response_range?.kvs ?? []);
    const stored = relay.map((kv) => relayFromKv(this.keys, kv));
    const pending = journal.length === 0 ? undefined : decodeImport(journal[0]);
    const found = withImport(stored, pending).find((candidate) => candidate.id === id);
    return found === undefined ? undefined : copy(found);
  }

  create(spec: RelaySpec): Promise<Relay> {
    return this.mutate((draft) => {
      const relay = draft.create(spec, newId(draft), 0);
      return { puts: [relay], deletes: [], result: (revisionOf) => withRevision(relay, revisionOf(relay.id)) };
    });
  }

  replace(id: string, spec: RelaySpec, expectedRevision?: number): Promise<Relay> {
    return this.mutate((draft) => {
      const relay = draft.replace(id, spec, 0, expectedRevision);
      return { puts: [relay], deletes: [], result: (revisionOf) => withRevision(relay, revisionOf(relay.id)) };
    });
  }

  delete(id: string, expectedRevision?: number): Promise<void> {
    return this.mutate((draft) => {
      draft.delete(id, expectedRevision);
      return { puts: [], deletes: [id], result: () => undefined };
    });
  }

  apply(batch: {
    create: RelaySpec[];
    replace: { id: string; spec: RelaySpec }[];
    delete: string[];
  }): Promise<Relay[]> {
    return this.mutate((draft) => {
      for (const id of batch.delete) draft.delete(id);
      const replaced = batch.replace.map(({ id, spec }) => draft.replace(id, spec, 0));
      const created = batch.create.map((spec) => draft.create(spec, newId(draft), 0));
      const puts = [...replaced, ...created];
      return {
        puts,
        deletes: batch.delete,
        result: (revisionOf) => puts.map((relay) => withRevision(relay, revisionOf(relay.id))),
      };
    });
  }

  watch(fromRevision: number, onChange: (change: RelayChange) => void): () => void {
    this.opened();
    return (this.relayWatch as EtcdRelayWatch).hub.watch(fromRevision, onChange);
  }

  private get ownsClient(): boolean {
    return this.options.client === undefined;
  }

  private opened(): Etcd3 {
    if (this.client === undefined) throw new StoreUnavailableError(`relay store ${this.url} is not open`);
    return this.client;
  }

  /** Mutations of this process run one at a time; other nodes' writes are caught by the guard. */
  private mutate<T>(work: (draft: RelayTable) => Outcome<T>): Promise<T> {
    try {
      this.opened();
      if (this.closing) throw new StoreUnavailableError(`relay store ${this.url} is closing`);
    } catch (error) {
      return Promise.reject(error);
    }
    const run = this.queue.catch(() => undefined).then(() => this.write(work));
    this.queue = run;
    return run;
  }

  private async write<T>(work: (draft: RelayTable) => Outcome<T>): Promise<T> {
    const client = this.opened();
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const cached = this.cache !== undefined;
      const snapshot = this.cache ?? (await this.call('read', () => readSnapshot(client, this.keys)));
      if (snapshot.pendingImport !== undefined) {
        // Another node's large import is committed but not fully copied: finish it first.
        await copyImport(client, this.keys, snapshot.pendingImport, snapshot.guardRevision, this.call);
        this.cache = undefined;
        continue;
      }
      const draft = snapshot.table.clone();
      let outcome: Outcome<T>;
      try {
        outcome = work(draft);
      } catch (error) {
        // A refusal decided on a cached table may be stale (another node changed it): re-read.
        if (!cached) throw error;
        this.cache = undefined;
        continue;
      }
      const committed = await this.commit(client, snapshot.guardRevision, outcome);
      if (committed === undefined) {
        this.cache = undefined;
        continue;
      }
      this.cache = cacheAfter(draft, outcome, committed);
      return outcome.result(committed.revisionOf);
    }
    throw new StoreUnavailableError(
      `etcd store ${this.url}: the write lost to concurrent writes from other nodes ${MAX_WRITE_ATTEMPTS} times; retry it`,
    );
  }

  /** Commits `outcome` only if nobody wrote since `guardRevision`; undefined when somebody did. */
  private commit(client: Etcd3, guardRevision: number, outcome: Outcome<unknown>): Promise<Committed | undefined> {
    return fitsOneTransaction(outcome.puts, outcome.deletes)
      ? this.commitAtOnce(client, guardRevision, outcome)
      : this.commitImport(client, guardRevision, outcome);
  }

  /** One transaction holding every change. */
  private async commitAtOnce(
    client: Etcd3,
    guardRevision: number,
    outcome: Outcome<unknown>,
  ): Promise<Committed | undefined> {
    const ops: IRequestOp[] = [
      ...outcome.deletes.map((id) => ({ request_delete_range: { key: Buffer.from(this.keys.relay(id)) } })),
      ...outcome.puts.map((relay) => ({
        request_put: { key: Buffer.from(this.keys.relay(relay.id)), value: relayValue(relay) },
      })),
      { request_put: { key: Buffer.from(this.keys.relaysGuard), value: Buffer.from('') } },
    ];
    const response = await this.call('write', () =>
      client.kv.txn({
        compare: [
          { key: Buffer.from(this.keys.relaysGuard), target: 'Mod', result: 'Equal', mod_revision: guardRevision },
        ],
        success: ops,
      }),
    );
    if (!response.succeeded) return undefined;
    const revision = Number(response.header.revision);
    return { revisionOf: () => revision, guardRevision: revision };
  }

  /**
   * The journal, in one transaction (the point of no return), then its copy to the relay keys.
   * A copy that fails (etcd gone, another node finishing it) leaves the import committed: readers
   * see it whole, and the next write on any node finishes the copy.
   */
  private async commitImport(
    client: Etcd3,
    guardRevision: number,
    outcome: Outcome<unknown>,
  ): Promise<Committed | undefined> {
    const journal = encodeImport(outcome.puts, outcome.deletes);
    const response = await this.call('import', () =>
      client.kv.txn({
        compare: [
          { key: Buffer.from(this.keys.relaysGuard), target: 'Mod', result: 'Equal', mod_revision: guardRevision },
        ],
        success: [
          { request_put: { key: Buffer.from(this.keys.relaysImport), value: journal } },
          { request_put: { key: Buffer.from(this.keys.relaysGuard), value: Buffer.from('') } },
        ],
      }),
    );
    if (!response.succeeded) return undefined;
    const revision = Number(response.header.revision);
    const pending: PendingImport = { revision, puts: outcome.puts, deletes: outcome.deletes };
    const copied = await copyImport(client, this.keys, pending, revision, this.call).catch(() => undefined);
    if (copied === undefined) return { revisionOf: () => revision };
    return { revisionOf: (id) => copied.revisions.get(id) ?? revision, guardRevision: copied.guardRevision };
  }

  /**
   * Runs one etcd request. Every etcd failure becomes StoreUnavailableError naming the store and
   * etcd's reason (HTTP 503, never a bare 500): "cannot reach etcd", a request etcd refuses, and
   * contents that are not MCR's.
   */
  private readonly call = async <T>(what: string, request: () => Promise<T>): Promise<T> => {
    this.roundTrips += 1;
    try {
      return await request();
    } catch (error) {
      const reason = (error as Error).message.trim();
      if (isEtcdUnavailable(error)) {
        const message = `etcd store ${this.url} is unavailable (${what}): ${reason}${await this.tlsReason(error)}`;
        throw new StoreUnavailableError(message, { cause: error });
      }
      throw new StoreUnavailableError(`etcd store ${this.url} failed the request (${what}): ${reason}`, {
        cause: error,
      });
    }
  };

  /**
   * gRPC reports a TLS handshake that failed as a plain "no connection". One handshake of our own
   * with the first member finds the reason; it is remembered for a while, so an outage does not
   * cost a handshake per request.
   */
  private async tlsReason(error: unknown): Promise<string> {
    if (!this.url.startsWith('etcds://') || !/No connection established/i.test((error as Error).message)) return '';
    if (this.lastTlsProbe === undefined || Date.now() - this.lastTlsProbe.at > TLS_PROBE_REUSE_MS) {
      // The promise is kept, so requests that fail together share one handshake.
      this.lastTlsProbe = { at: Date.now(), text: this.describeTlsHandshake() };
    }
    return this.lastTlsProbe.text;
  }

  private async describeTlsHandshake(): Promise<string> {
    const endpoint = parseEtcdUrl(this.url).hosts[0].replace(/^https:\/\//, '');
    // A probe that cannot even start (a PEM file gone since start-up) must not replace the store's error.
    const reason = await probeTls(
      endpoint,
      this.options,
      this.options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS,
    ).catch(() => undefined);
    return reason === undefined
      ? ''
      : ` (TLS handshake with ${endpoint}: ${reason}; check MCR_ETCD_CA, MCR_ETCD_CERT and MCR_ETCD_KEY)`;
  }
}

/** The table after a committed write, or undefined (re-read) when the guard's revision is not known. */
function cacheAfter(draft: RelayTable, outcome: Outcome<unknown>, committed: Committed): RelaySnapshot | undefined {
  if (committed.guardRevision === undefined) return undefined;
  const written = new Set(outcome.puts.map((relay) => relay.id));
  const relays = draft
    .list()
    .map((relay) => (written.has(relay.id) ? withRevision(relay, committed.revisionOf(relay.id)) : relay));
  const revision = committed.guardRevision;
  return { table: RelayTable.of(relays), revision, guardRevision: revision };
}

/** Callers get their own mutable copies; the table keeps frozen relays. */
function copy(relay: Relay): Relay {
  return structuredClone(relay);
}

function withRevision(relay: Relay, revision: number): Relay {
  return { ...copy(relay), revision };
}

function newId(table: RelayTable): string {
  let id = randomUUID();
  while (table.has(id)) id = randomUUID();
  return id;
}
