// The one RelayStore contract suite: every implementation (FileStore, EtcdStore) runs it, so the
// service can rely on the same ids, revisions, uniqueness, atomicity and watch semantics.
import type { RelaySpec } from '@mcr/model';
import {
  InvalidRelayError,
  RelayConflictError,
  RelayNotFoundError,
  RevisionMismatchError,
  type RelayChange,
  type RelayStore,
} from '../src/relay-store';

export interface StoreUnderTest {
  /** An opened, empty store. */
  store: RelayStore;
  cleanup(): Promise<void>;
}

/** Watch deliveries must arrive well within this on a loaded 2-core machine. */
const WATCH_WAIT_MS = 10_000;
const ODD_IDS = ['', '../x', '..', 'a/b', '%2e%2e', ' ', 'x'.repeat(10_000), '00000000-0000-4000-8000-000000000000'];

export function relaySpec(index: number, overrides: Partial<RelaySpec> = {}): RelaySpec {
  return {
    name: `feed-${index}`,
    input: { interface: 'eth0', group: '239.1.1.1', port: 1000 + index },
    outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 1000 + index }],
    ...overrides,
  };
}

/** Records a watch's deliveries and waits for them without fixed sleeps. */
class WatchRecorder {
  readonly changes: RelayChange[] = [];
  private waiters: { count: number; resolve: () => void }[] = [];
  readonly stop: () => void;

  constructor(store: RelayStore, fromRevision: number) {
    this.stop = store.watch(fromRevision, (change) => {
      this.changes.push(change);
      this.waiters = this.waiters.filter((waiter) => {
        if (this.changes.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    });
  }

  async waitFor(count: number): Promise<RelayChange[]> {
    if (this.changes.length < count) {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`watch delivered ${this.changes.length} changes, expected ${count}`)),
          WATCH_WAIT_MS,
        );
        this.waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      });
    }
    return this.changes;
  }
}

function summary(change: RelayChange): string {
  return change.type === 'put'
    ? `put ${change.relay.name}@${change.revision}`
    : `delete ${change.id}@${change.revision}`;
}

export function describeRelayStoreContract(name: string, makeStore: () => Promise<StoreUnderTest>): void {
  describe(`RelayStore contract: ${name}`, () => {
    let store: RelayStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await makeStore());
    });
    afterEach(async () => {
      await cleanup();
    });

    describe('create, get, list', () => {
      it('create returns a URL-safe id, a revision and the normalised spec', async () => {
        const relay = await store.create({
          name: 'v6',
          input: { interface: 'eth0', group: 'FF3E:0::1', port: 5000 },
          outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 }],
        });
        expect(relay.id).toMatch(/^[A-Za-z0-9_-]{8,}$/);
        expect(relay.revision).toBeGreaterThan(0);
        expect(relay).toEqual({
          id: relay.id,
          name: 'v6',
          enabled: true,
          input: { interface: 'eth0', group: 'ff3e::1', port: 5000 },
          outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 1, dscp: 0 }],
          revision: relay.revision,
        });
      });

      it('get returns what create returned; list has every relay and a revision covering them', async () => {
        const a = await store.create(relaySpec(1));
        const b = await store.create(relaySpec(2, { enabled: false }));
        expect(await store.get(a.id)).toEqual(a);
        expect(await store.get(b.id)).toEqual(b);
        const list = await store.list();
        expect(list.relays).toHaveLength(2);
        expect(list.relays).toEqual(expect.arrayContaining([a, b]));
        expect(list.revision).toBeGreaterThanOrEqual(Math.max(a.revision, b.revision));
      });

      it('keeps preferredNode through create, replace and list (placement reads it back)', async () => {
        const relay = await store.create(relaySpec(1, { preferredNode: 'mcr-b' }));
        expect(relay.preferredNode).toBe('mcr-b');
        expect((await store.list()).relays[0].preferredNode).toBe('mcr-b');
        const replaced = await store.replace(relay.id, relaySpec(1, { preferredNode: 'mcr-c' }));
        expect((await store.get(replaced.id))?.preferredNode).toBe('mcr-c');
      });

      it('an empty store lists nothing', async () => {
        expect((await store.list()).relays).toEqual([]);
      });

      it.each(ODD_IDS.map((id) => [id.length > 40 ? `${id.slice(0, 10)}... (${id.length} chars)` : `'${id}'`, id]))(
        'get of unknown id %s is undefined',
        async (_, id) => {
          await store.create(relaySpec(1));
          expect(await store.get(id)).toBeUndefined();
        },
      );

      it('returned relays are copies: changing them does not change the store', async () => {
        const relay = await store.create(relaySpec(1));
        relay.name = 'changed';
        const listed = (await store.list()).relays[0];
        listed.outputs.push({ interface: 'x', group: '239.9.9.9', port: 1 });
        expect(await store.get(relay.id)).toEqual({ ...relay, name: 'feed-1' });
      });

      it('rejects an invalid spec with InvalidRelayError naming the field, storing nothing', async () => {
        const bad = relaySpec(1);
        bad.outputs[0].port = 70000;
        const error = await store.create(bad).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(InvalidRelayError);
        expect((error as InvalidRelayError).messages).toEqual([
          'outputs[0].port must be an integer 1..65535, got 70000',
        ]);
        expect((await store.list()).relays).toEqual([]);
      });
    });

    describe('replace', () => {
      it('replaces without expectedRevision: same id, new spec, higher revision', async () => {
        const created = await store.create(relaySpec(1));
        const replaced = await store.replace(created.id, relaySpec(1, { name: 'renamed' }));
        expect(replaced.id).toBe(created.id);
        expect(replaced.name).toBe('renamed');
        expect(replaced.revision).toBeGreaterThan(created.revision);
        expect(await store.get(created.id)).toEqual(replaced);
      });

      it('replaces with the current expectedRevision', async () => {
        const created = await store.create(relaySpec(1));
        const replaced = await store.replace(created.id, relaySpec(1, { enabled: false }), created.revision);
        expect(replaced.enabled).toBe(false);
      });

      it('rejects a stale expectedRevision with RevisionMismatchError and changes nothing', async () => {
        const created = await store.create(relaySpec(1));
        const current = await store.replace(created.id, relaySpec(1, { name: 'second' }));
        const error = await store
          .replace(created.id, relaySpec(1, { name: 'third' }), created.revision)
          .catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RevisionMismatchError);
        expect(error).toMatchObject({ id: created.id, expected: created.revision, actual: current.revision });
        expect(await store.get(created.id)).toEqual(current);
      });

      it.each(ODD_IDS.map((id) => [id.length > 40 ? `${id.slice(0, 10)}...` : `'${id}'`, id]))(
        'rejects unknown id %s with RelayNotFoundError',
        async (_, id) => {
          await expect(store.replace(id, relaySpec(1))).rejects.toBeInstanceOf(RelayNotFoundError);
          expect((await store.list()).relays).toEqual([]);
        },
      );

      it('rejects an invalid spec and keeps the old one', async () => {
        const created = await store.create(relaySpec(1));
        await expect(store.replace(created.id, { ...relaySpec(1), outputs: [] })).rejects.toBeInstanceOf(
          InvalidRelayError,
        );
        expect(await store.get(created.id)).toEqual(created);
      });
    });

    describe('delete', () => {
      it('deletes, then the id is unknown', async () => {
        const created = await store.create(relaySpec(1));
        await store.delete(created.id);
        expect(await store.get(created.id)).toBeUndefined();
        expect((await store.list()).relays).toEqual([]);
        await expect(store.delete(created.id)).rejects.toBeInstanceOf(RelayNotFoundError);
      });

      it.each(ODD_IDS.map((id) => [id.length > 40 ? `${id.slice(0, 10)}...` : `'${id}'`, id]))(
        'rejects unknown id %s with RelayNotFoundError',
        async (_, id) => {
          const kept = await store.create(relaySpec(1));
          await expect(store.delete(id)).rejects.toBeInstanceOf(RelayNotFoundError);
          expect((await store.list()).relays).toEqual([kept]);
        },
      );

      it('honours expectedRevision', async () => {
        const created = await store.create(relaySpec(1));
        const current = await store.replace(created.id, relaySpec(1, { enabled: false }));
        await expect(store.delete(created.id, created.revision)).rejects.toBeInstanceOf(RevisionMismatchError);
        expect(await store.get(created.id)).toEqual(current);
        await store.delete(created.id, current.revision);
        expect(await store.get(created.id)).toBeUndefined();
      });
    });

    describe('uniqueness', () => {
      it('rejects a second relay with the same name (field name)', async () => {
        await store.create(relaySpec(1));
        const error = await store.create(relaySpec(2, { name: 'feed-1' })).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RelayConflictError);
        expect((error as RelayConflictError).field).toBe('name');
        expect((error as Error).message).toContain("'feed-1'");
        expect((await store.list()).relays).toHaveLength(1);
      });

      it('rejects a second relay with the same ingress in another spelling (field input)', async () => {
        const v6Input = { interface: 'eth0', group: 'ff3e::1', port: 5000, sources: ['2001:db8::1', '2001:db8::2'] };
        await store.create(relaySpec(1, { input: v6Input }));
        const same = { interface: 'eth0', group: 'FF3E:0::1', port: 5000, sources: ['2001:DB8::2', '2001:db8::1'] };
        const error = await store.create(relaySpec(2, { input: same })).catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(RelayConflictError);
        expect((error as RelayConflictError).field).toBe('input');
        expect((await store.list()).relays).toHaveLength(1);
      });

      it("rejects a B leg (redundancy.input) that is another relay's ingress, A or B, and frees it on delete", async () => {
        const legB = { interface: 'eth2', group: '239.7.7.7', port: 7000 };
        const first = await store.create(relaySpec(1, { redundancy: { input: legB, mode: 'merge' } }));
        const onInput = await store
          .create(relaySpec(2, { redundancy: { input: relaySpec(1).input, mode: 'merge' } }))
          .catch((caught: unknown) => caught);
        expect(onInput).toBeInstanceOf(RelayConflictError);
        expect((onInput as RelayConflictError).field).toBe('redundancy.input');
        const inputOnLegB = await store.create(relaySpec(3, { input: legB })).catch((caught: unknown) => caught);
        expect((inputOnLegB as RelayConflictError).field).toBe('input');
        expect((await store.list()).relays).toHaveLength(1);
        await store.delete(first.id);
        await store.create(relaySpec(3, { input: legB }));
      });

      it('allows the same group and port on another interface or with other sources', async () => {
        await store.create(relaySpec(1));
        await store.create(relaySpec(2, { input: { ...relaySpec(1).input, interface: 'eth2' } }));
        await store.create(relaySpec(3, { input: { ...relaySpec(1).input, sources: ['10.0.0.1'] } }));
        expect((await store.list()).relays).toHaveLength(3);
      });

      it('a replace may keep its own name and ingress but not take another relay’s', async () => {
        const a = await store.create(relaySpec(1));
        const b = await store.create(relaySpec(2));
        await store.replace(a.id, relaySpec(1, { enabled: false }));
        await expect(store.replace(a.id, relaySpec(1, { name: b.name }))).rejects.toMatchObject({ field: 'name' });
        await expect(store.replace(a.id, relaySpec(1, { input: b.input }))).rejects.toMatchObject({ field: 'input' });
      });

      it('frees the name and ingress of a deleted or renamed relay', async () => {
        const a = await store.create(relaySpec(1));
        await store.replace(a.id, relaySpec(1, { name: 'renamed', input: relaySpec(9).input }));
        await store.create(relaySpec(1));
        const b = await store.create(relaySpec(2));
        await store.delete(b.id);
        await store.create(relaySpec(2));
        expect((await store.list()).relays.map((relay) => relay.name).sort()).toEqual(['feed-1', 'feed-2', 'renamed']);
      });
    });

    describe('apply', () => {
      it('applies deletes, replaces and creates as one revision', async () => {
        const a = await store.create(relaySpec(1));
        const b = await store.create(relaySpec(2));
        const list = await store.list();
        const recorder = new WatchRecorder(store, list.revision);
        // The new relay takes the deleted one's name and ingress: deletes go first.
        const result = await store.apply({
          delete: [b.id],
          replace: [{ id: a.id, spec: relaySpec(1, { enabled: false }) }],
          create: [relaySpec(2), relaySpec(3)],
        });
        expect(result.map((relay) => relay.name)).toEqual(['feed-1', 'feed-2', 'feed-3']);
        expect(result[0]).toMatchObject({ id: a.id, enabled: false });
        expect(new Set(result.map((relay) => relay.revision)).size).toBe(1);
        expect(result[0].revision).toBeGreaterThan(list.revision);
        const after = await store.list();
        expect(after.relays).toHaveLength(3);
        expect(after.relays).toEqual(expect.arrayContaining(result));
        const changes = await recorder.waitFor(4);
        expect(changes.map((change) => change.revision)).toEqual(new Array(4).fill(result[0].revision));
        expect(changes.filter((change) => change.type === 'delete')).toEqual([
          { type: 'delete', id: b.id, revision: result[0].revision },
        ]);
        recorder.stop();
      });

      it.each<[string, (ids: string[]) => Parameters<RelayStore['apply']>[0], unknown]>([
        [
          'a create conflicting with an existing name',
          () => ({ delete: [], replace: [], create: [relaySpec(5), relaySpec(6, { name: 'feed-1' })] }),
          RelayConflictError,
        ],
        [
          'two creates with one ingress',
          () => ({ delete: [], replace: [], create: [relaySpec(5), relaySpec(6, { input: relaySpec(5).input })] }),
          RelayConflictError,
        ],
        [
          'an unknown id to delete',
          ([a]) => ({ delete: [a, 'no-such-id'], replace: [], create: [] }),
          RelayNotFoundError,
        ],
        [
          'an unknown id to replace',
          () => ({ delete: [], replace: [{ id: '../x', spec: relaySpec(7) }], create: [relaySpec(8)] }),
          RelayNotFoundError,
        ],
        [
          'an invalid spec',
          ([a]) => ({ delete: [a], replace: [], create: [relaySpec(5), { ...relaySpec(6), outputs: [] }] }),
          InvalidRelayError,
        ],
      ])('changes nothing when the batch has %s', async (_, batch, errorClass) => {
        const a = await store.create(relaySpec(1));
        const b = await store.create(relaySpec(2));
        const before = await store.list();
        await expect(store.apply(batch([a.id, b.id]))).rejects.toBeInstanceOf(errorClass);
        expect((await store.list()).relays).toEqual(before.relays);
      });
    });

    describe('revisions and watch', () => {
      it('revisions strictly increase across creates, replaces and deletes', async () => {
        const recorder = new WatchRecorder(store, (await store.list()).revision);
        const a = await store.create(relaySpec(1));
        const b = await store.create(relaySpec(2));
        await store.replace(a.id, relaySpec(1, { enabled: false }));
        await store.delete(b.id);
        await store.create(relaySpec(3));
        const revisions = (await recorder.waitFor(5)).map((change) => change.revision);
        expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
        expect(new Set(revisions).size).toBe(5);
        expect((await store.list()).revision).toBeGreaterThanOrEqual(revisions[4]);
        recorder.stop();
      });

      it('watch(list.revision) delivers, in order and exactly once, changes made after list() and before watch()', async () => {
        await store.create(relaySpec(1));
        const list = await store.list();
        const a = await store.create(relaySpec(2)); // after list(), before watch()
        const a2 = await store.replace(a.id, relaySpec(2, { enabled: false }));
        const recorder = new WatchRecorder(store, list.revision);
        await store.delete(a.id);
        const c = await store.create(relaySpec(3));
        const changes = await recorder.waitFor(4);
        expect(changes).toEqual([
          { type: 'put', relay: a, revision: a.revision },
          { type: 'put', relay: a2, revision: a2.revision },
          { type: 'delete', id: a.id, revision: expect.any(Number) },
          { type: 'put', relay: c, revision: c.revision },
        ]);
        // Exactly once: one more change arrives alone, nothing was repeated before it.
        const d = await store.create(relaySpec(4));
        expect((await recorder.waitFor(5)).map(summary)).toEqual([
          ...changes.slice(0, 4).map(summary),
          `put feed-4@${d.revision}`,
        ]);
        recorder.stop();
      });

      it('fromRevision is exclusive: watch(r) skips the change at revision r and delivers the next', async () => {
        const a = await store.create(relaySpec(1));
        const b = await store.create(relaySpec(2));
        const recorder = new WatchRecorder(store, a.revision);
        expect((await recorder.waitFor(1)).map(summary)).toEqual([`put feed-2@${b.revision}`]);
        recorder.stop();
      });

      it('delivers asynchronously, never inside watch()', async () => {
        const list = await store.list();
        await store.create(relaySpec(1));
        let calledDuringWatch = false;
        let returned = false;
        const stop = store.watch(list.revision, () => {
          if (!returned) calledDuringWatch = true;
        });
        returned = true;
        const recorder = new WatchRecorder(store, list.revision);
        await recorder.waitFor(1);
        expect(calledDuringWatch).toBe(false);
        stop();
        recorder.stop();
      });

      it('unsubscribe stops delivery', async () => {
        const list = await store.list();
        const stopped = new WatchRecorder(store, list.revision);
        const live = new WatchRecorder(store, list.revision);
        await store.create(relaySpec(1));
        await stopped.waitFor(1);
        stopped.stop();
        await store.create(relaySpec(2));
        await live.waitFor(2);
        // Whatever the live watcher got, the stopped one would have got by now too.
        expect(stopped.changes.map(summary)).toEqual(live.changes.slice(0, 1).map(summary));
        live.stop();
      });

      it('200 concurrent creates all succeed with distinct ids and revisions, watched in order', async () => {
        const count = 200;
        const recorder = new WatchRecorder(store, (await store.list()).revision);
        const created = await Promise.all(Array.from({ length: count }, (_, i) => store.create(relaySpec(i))));
        expect(new Set(created.map((relay) => relay.id)).size).toBe(count);
        expect(new Set(created.map((relay) => relay.revision)).size).toBe(count);
        expect((await store.list()).relays).toHaveLength(count);
        const revisions = (await recorder.waitFor(count)).map((change) => change.revision);
        expect(revisions).toEqual([...created.map((relay) => relay.revision)].sort((x, y) => x - y));
        recorder.stop();
      });
    });
  });
}
