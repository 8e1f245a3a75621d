// The EtcdStore's one etcd watch on the relays prefix, feeding an in-process WatchHub. It resumes
// from the last revision it delivered after a disconnect, and when etcd has compacted that far it
// re-lists and publishes the difference, so subscribers never miss a change. A large import
// (etcd-import.ts) is published whole when its journal is committed; the copy to the relay keys
// that follows changes nothing a subscriber sees, so it is not published again.
import type { Relay } from '@mcr/model';
import type { Etcd3, IWatchResponse, Watcher } from 'etcd3';
import { decodeImport } from './etcd-import';
import type { EtcdKeys } from './etcd-keys';
import { readSnapshot } from './etcd-snapshot';
import { relayFromKv } from './etcd-snapshot';
import type { RelayChange } from './relay-store';
import { WatchHub } from './watch-hub';

type WatchEvent = IWatchResponse['events'][number];

const RESTART_DELAY_MIN_MS = 100;
const RESTART_DELAY_MAX_MS = 2_000;

export interface RelayWatchEvents {
  /** Reported, not thrown: the watch keeps retrying by itself. */
  onProblem(message: string): void;
}

export class EtcdRelayWatch {
  readonly hub: WatchHub;
  /** The relays as of `revision`, to compute what a re-list changed. */
  private readonly mirror = new Map<string, Relay>();
  private revision: number;
  /** A committed import is being copied: relay key events until the journal goes are that copy. */
  private copying: boolean;
  private watcher?: Watcher;
  private stopped = false;
  private restartDelayMs = RESTART_DELAY_MIN_MS;
  private restartTimer?: NodeJS.Timeout;

  constructor(
    private readonly client: Etcd3,
    private readonly keys: EtcdKeys,
    relays: readonly Relay[],
    revision: number,
    historyLimit: number,
    private readonly events: RelayWatchEvents,
    importPending = false,
  ) {
    for (const relay of relays) this.mirror.set(relay.id, relay);
    this.revision = revision;
    this.copying = importPending;
    this.hub = new WatchHub(revision, historyLimit);
  }

  /** Last etcd revision whose events were looked at (and their relay changes published). */
  get lastRevision(): number {
    return this.revision;
  }

  start(): void {
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.restartTimer);
    void this.watcher?.cancel().catch(() => undefined);
    this.watcher = undefined;
    this.hub.close();
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const from = this.revision + 1;
    const watcher = this.client.watch().prefix(this.keys.relaysWatchPrefix).startRevision(String(from)).watcher();
    this.watcher = watcher;
    watcher.on('connected', () => (this.restartDelayMs = RESTART_DELAY_MIN_MS));
    watcher.on('data', (response: IWatchResponse) => this.onData(response));
    // The client would re-attach by itself from the revision of its last *header*, which can be
    // past events not delivered yet: drop this watcher and resume from what was delivered.
    watcher.on('disconnected', (error: Error) =>
      this.restart(watcher, `etcd watch disconnected (${error.message})`, false),
    );
    // Cancelled by etcd: compaction past `from`, or another refusal. Re-list, then resume.
    watcher.on('error', (error: Error) => this.restart(watcher, `etcd watch cancelled (${error.message})`, true));
  }

  private onData(response: IWatchResponse): void {
    if (this.stopped) return;
    const changes: RelayChange[] = [];
    let processed = this.revision;
    for (const event of response.events) {
      const revision = Number(event.kv.mod_revision);
      if (revision <= this.revision) continue;
      processed = revision;
      const key = event.kv.key.toString();
      if (key === this.keys.relaysImport) this.onImportEvent(event, changes);
      else if (key.startsWith(this.keys.relays)) this.onRelayEvent(event, changes);
    }
    // Resume after what was looked at, published or not (the guard, a copy), so nothing is replayed.
    this.revision = processed;
    if (changes.length > 0) this.hub.publish(changes);
  }

  private onRelayEvent(event: WatchEvent, changes: RelayChange[]): void {
    const revision = Number(event.kv.mod_revision);
    const id = event.kv.key.toString().slice(this.keys.relays.length);
    if (event.type === 'Delete') {
      if (this.mirror.delete(id) && !this.copying) changes.push({ type: 'delete', id, revision });
      return;
    }
    const relay = this.decode(event.kv, (kv) => relayFromKv(this.keys, kv));
    if (relay === undefined) return;
    this.mirror.set(id, relay); // a copy only moves the relay's revision on: kept for a re-list
    if (!this.copying) changes.push({ type: 'put', relay, revision });
  }

  /** The journal's put is the import: every change in it, at its revision. Its delete ends the copy. */
  private onImportEvent(event: WatchEvent, changes: RelayChange[]): void {
    if (event.type === 'Delete') {
      this.copying = false;
      return;
    }
    const pending = this.decode(event.kv, decodeImport);
    if (pending === undefined) return;
    this.copying = true;
    for (const id of pending.deletes) {
      if (this.mirror.delete(id)) changes.push({ type: 'delete', id, revision: pending.revision });
    }
    for (const relay of pending.puts) {
      this.mirror.set(relay.id, relay);
      changes.push({ type: 'put', relay, revision: pending.revision });
    }
  }

  private decode<T>(kv: WatchEvent['kv'], decode: (kv: WatchEvent['kv']) => T): T | undefined {
    try {
      return decode(kv);
    } catch (error) {
      this.events.onProblem(`ignoring a relay change: ${(error as Error).message}`);
      return undefined;
    }
  }

  private restart(watcher: Watcher, reason: string, relist: boolean): void {
    if (this.stopped || this.watcher !== watcher) return;
    this.watcher = undefined;
    void watcher.cancel().catch(() => undefined);
    this.events.onProblem(`${reason}; resuming from revision ${this.revision + 1}${relist ? ' after a re-list' : ''}`);
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(this.restartDelayMs * 2, RESTART_DELAY_MAX_MS);
    this.restartTimer = setTimeout(() => void (relist ? this.relist() : this.connect()), delay);
  }

  /** Publishes what changed between the mirror and a fresh list as one revision, then resumes. */
  private async relist(): Promise<void> {
    if (this.stopped) return;
    let snapshot;
    try {
      snapshot = await readSnapshot(this.client, this.keys);
    } catch (error) {
      this.events.onProblem(`etcd re-list failed (${(error as Error).message}); retrying`);
      this.restartTimer = setTimeout(() => void this.relist(), this.restartDelayMs);
      this.restartDelayMs = Math.min(this.restartDelayMs * 2, RESTART_DELAY_MAX_MS);
      return;
    }
    if (this.stopped) return;
    const revision = snapshot.revision;
    const current = new Map(snapshot.table.list().map((relay) => [relay.id, relay]));
    const changes: RelayChange[] = [];
    for (const id of this.mirror.keys()) if (!current.has(id)) changes.push({ type: 'delete', id, revision });
    for (const relay of current.values()) {
      if (this.mirror.get(relay.id)?.revision !== relay.revision) changes.push({ type: 'put', relay, revision });
    }
    this.mirror.clear();
    for (const relay of current.values()) this.mirror.set(relay.id, relay);
    this.copying = snapshot.pendingImport !== undefined;
    if (revision > this.revision) {
      this.revision = revision;
      if (changes.length > 0) this.hub.publish(changes);
    }
    await this.connect();
  }
}
