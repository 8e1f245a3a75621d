// FileStore, the embedded default store (MCR_STORE=file:./data/relays.json): one JSON file, every
// mutation queued, group-committed and written atomically before its promise resolves.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, unlink } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type { Relay, RelaySpec } from '@mcr/model';
import { isTempFileOf, writeFileAtomic } from './atomic-write';
import { StoreUnavailableError, type RelayChange, type RelayList, type RelayStore } from './relay-store';
import { RelayTable } from './relay-table';
import { formatStoreFile, readStoreFile } from './store-file';
import { StoreLock } from './store-lock';
import { WatchHub } from './watch-hub';

/** Changes kept in memory for watch(fromRevision) replay; older ones give RevisionCompactedError. */
export const DEFAULT_WATCH_HISTORY_CHANGES = 10_000;

export interface FileStoreOptions {
  watchHistoryChanges?: number;
}

/** Applies itself to the draft table at `revision`; throws to reject without changing the draft. */
type Mutation<T> = (draft: RelayTable, revision: number) => { result: T; changes: RelayChange[] };

interface Pending {
  mutation: Mutation<unknown>;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
}

interface Opened {
  lock: StoreLock;
  table: RelayTable;
  revision: number;
  hub: WatchHub;
}

export class FileStore implements RelayStore {
  readonly path: string;
  private state: Opened | undefined;
  private closing = false;
  private pending: Pending[] = [];
  private committing: Promise<void> | undefined;

  constructor(
    path: string,
    private readonly options: FileStoreOptions = {},
  ) {
    this.path = resolve(path);
  }

  async open(): Promise<void> {
    if (this.state !== undefined) throw new Error(`relay store ${this.path} is already open`);
    await mkdir(dirname(this.path), { recursive: true });
    const lock = await StoreLock.acquire(this.path);
    let contents;
    try {
      contents = await readStoreFile(this.path);
      await this.removeCrashLeftovers();
    } catch (error) {
      await lock.release();
      throw error;
    }
    const historyLimit = this.options.watchHistoryChanges ?? DEFAULT_WATCH_HISTORY_CHANGES;
    this.state = {
      lock,
      table: RelayTable.of(contents.relays),
      revision: contents.revision,
      hub: new WatchHub(contents.revision, historyLimit),
    };
    this.closing = false;
  }

  /** Waits for queued mutations to be written, then stops every watch. */
  async close(): Promise<void> {
    if (this.state === undefined) return;
    this.closing = true;
    await this.committing;
    this.state.hub.close();
    await this.state.lock.release();
    this.state = undefined;
  }

  async list(): Promise<RelayList> {
    const state = this.opened();
    return { relays: state.table.list().map(copy), revision: state.revision };
  }

  async get(id: string): Promise<Relay | undefined> {
    const relay = this.opened().table.get(id);
    return relay === undefined ? undefined : copy(relay);
  }

  create(spec: RelaySpec): Promise<Relay> {
    return this.mutate((draft, revision) => {
      const relay = draft.create(spec, newId(draft), revision);
      return { result: copy(relay), changes: [{ type: 'put', relay, revision }] };
    });
  }

  replace(id: string, spec: RelaySpec, expectedRevision?: number): Promise<Relay> {
    return this.mutate((draft, revision) => {
      const relay = draft.replace(id, spec, revision, expectedRevision);
      return { result: copy(relay), changes: [{ type: 'put', relay, revision }] };
    });
  }

  delete(id: string, expectedRevision?: number): Promise<void> {
    return this.mutate((draft, revision) => {
      draft.delete(id, expectedRevision);
      return { result: undefined, changes: [{ type: 'delete', id, revision }] };
    });
  }

  apply(batch: {
    create: RelaySpec[];
    replace: { id: string; spec: RelaySpec }[];
    delete: string[];
  }): Promise<Relay[]> {
    return this.mutate((draft, revision) => {
      // A failure part-way must leave the draft untouched: work on a clone, adopt it at the end.
      const work = draft.clone();
      const changes: RelayChange[] = [];
      for (const id of batch.delete) {
        work.delete(id);
        changes.push({ type: 'delete', id, revision });
      }
      const replaced = batch.replace.map(({ id, spec }) => work.replace(id, spec, revision));
      const created = batch.create.map((spec) => work.create(spec, newId(work), revision));
      for (const relay of [...replaced, ...created]) changes.push({ type: 'put', relay, revision });
      draft.adopt(work);
      return { result: [...replaced, ...created].map(copy), changes };
    });
  }

  watch(fromRevision: number, onChange: (change: RelayChange) => void): () => void {
    return this.opened().hub.watch(fromRevision, onChange);
  }

  private opened(): Opened {
    if (this.state === undefined) throw new StoreUnavailableError(`relay store ${this.path} is not open`);
    return this.state;
  }

  private mutate<T>(mutation: Mutation<T>): Promise<T> {
    try {
      this.opened();
      if (this.closing) throw new StoreUnavailableError(`relay store ${this.path} is closing`);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise<T>((resolveResult, reject) => {
      this.pending.push({ mutation, resolve: resolveResult as (result: unknown) => void, reject });
      this.committing ??= this.commitLoop();
    });
  }

  /** Drains the queue; mutations queued while a write is in flight go together in the next one. */
  private async commitLoop(): Promise<void> {
    try {
      await Promise.resolve(); // let mutations queued in the same tick join the first write
      while (this.pending.length > 0) await this.commit(this.pending.splice(0));
    } finally {
      this.committing = undefined;
    }
  }

  private async commit(batch: Pending[]): Promise<void> {
    const state = this.opened();
    const draft = state.table.clone();
    let revision = state.revision;
    const accepted: { pending: Pending; result: unknown; changes: RelayChange[] }[] = [];
    for (const pending of batch) {
      try {
        const outcome = pending.mutation(draft, revision + 1);
        if (outcome.changes.length > 0) revision += 1;
        accepted.push({ pending, ...outcome });
      } catch (error) {
        pending.reject(error);
      }
    }
    if (revision !== state.revision) {
      try {
        await writeFileAtomic(this.path, formatStoreFile({ revision, relays: draft.list() }));
      } catch (error) {
        const failure = new StoreUnavailableError(
          `cannot write relay store file ${this.path}: ${(error as Error).message}`,
          { cause: error },
        );
        for (const { pending } of accepted) pending.reject(failure);
        return;
      }
      state.table = draft;
      state.revision = revision;
      state.hub.publish(accepted.flatMap(({ changes }) => changes));
    }
    for (const { pending, result } of accepted) pending.resolve(result);
  }

  /** Temp files of a write that a crash interrupted; the target file itself is always whole. */
  private async removeCrashLeftovers(): Promise<void> {
    const directory = dirname(this.path);
    const leftovers = (await readdir(directory)).filter((name) => isTempFileOf(this.path, name));
    await Promise.all(leftovers.map((name) => unlink(join(directory, name)).catch(() => undefined)));
  }
}

function newId(table: RelayTable): string {
  let id = randomUUID();
  while (table.has(id)) id = randomUUID();
  return id;
}

function copy<T>(value: T): T {
  return structuredClone(value);
}
