// Relay CRUD: checks, one durable store write, then waits (briefly) until the reconciler has
// applied the change, so a 201 means the engine already runs the relay. Logs every change.
import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Relay, RelaySpec } from '@mcr/model';
import { RevisionMismatchError, type RelayStore } from '@mcr/store';
import { Reconciler } from '../reconciler/reconciler.service';
import { RELAY_STORE } from '../tokens';
import { describeChanges } from './change-diff';
import { revisionToExpect, writeCondition, type RevisionCondition } from './if-match';
import { isPlainObject } from './merge-patch';
import { MutationQueue } from './mutation-queue';
import { RelayChecks } from './relay-checks';
import { applyRelayPatch } from './relay-patch';

/** Who asked for a change, for the audit log. */
export interface ChangeOrigin {
  via: 'api' | 'import';
  requestId?: string;
  remoteAddress?: string;
}

/** How long a write waits for the engine before answering anyway (the reconciler keeps going). */
const APPLY_WAIT_MS = 2_000;

@Injectable()
export class RelaysService {
  private readonly logger = new Logger('Relays');
  private readonly queue = new MutationQueue();

  constructor(
    @Inject(RELAY_STORE) private readonly store: RelayStore,
    private readonly reconciler: Reconciler,
    private readonly checks: RelayChecks,
  ) {}

  /** Every relay, or only the one named `name` (names are unique: [] or one relay). */
  async list(filter: { name?: string } = {}): Promise<Relay[]> {
    const { relays } = await this.store.list();
    return filter.name === undefined ? relays : relays.filter((relay) => relay.name === filter.name);
  }

  async get(id: string): Promise<Relay> {
    const relay = await this.store.get(id);
    if (relay === undefined) throw this.notFound(id, await this.list());
    return relay;
  }

  async create(spec: RelaySpec, origin: ChangeOrigin): Promise<Relay> {
    const relay = await this.queue.run(async () => {
      this.checks.check(spec, await this.list());
      return this.store.create(spec);
    });
    this.logger.log(
      { event: 'relay.created', relayId: relay.id, name: relay.name, revision: relay.revision, relay, origin },
      `relay ${relay.id} (${relay.name}) created`,
    );
    await this.reconciler.waitForRevision(relay.revision, APPLY_WAIT_MS);
    return relay;
  }

  async replace(id: string, spec: RelaySpec, condition: RevisionCondition, origin: ChangeOrigin): Promise<Relay> {
    return this.edit(id, () => ({ spec, expected: (existing) => revisionToExpect(existing, condition) }), origin);
  }

  /**
   * Applies a JSON merge patch (RFC 7396) to the stored relay and writes the result exactly as a
   * PUT would (same checks, one store write). Without If-Match the write is still conditional on
   * the revision the patch was applied to, so a change made meanwhile by another node is never
   * overwritten: the patch is applied again to the newer relay instead.
   */
  async patch(id: string, patch: unknown, ifMatch: string | undefined, origin: ChangeOrigin): Promise<Relay> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.edit(
          id,
          (existing) => {
            const patched = applyRelayPatch(existing, patch);
            const condition = writeCondition(ifMatch, patched.revision);
            const expected = (current: number) =>
              condition === undefined ? current : revisionToExpect(current, condition);
            return { spec: patched.spec, expected };
          },
          origin,
        );
      } catch (err) {
        const raced = err instanceof RevisionMismatchError && ifMatch === undefined && !hasRevision(patch);
        if (!raced || attempt >= PATCH_ATTEMPTS) throw err;
      }
    }
  }

  /** The one write path of PUT and PATCH: checks against the others, one conditional store write, the audit line. */
  private async edit(id: string, change: (existing: Relay) => Edit, origin: ChangeOrigin): Promise<Relay> {
    const { before, after } = await this.queue.run(async () => {
      const all = await this.list();
      const existing = all.find((relay) => relay.id === id);
      if (existing === undefined) throw this.notFound(id, all);
      const { spec, expected } = change(existing);
      this.checks.check(
        spec,
        all.filter((relay) => relay.id !== id),
      );
      return { before: existing, after: await this.store.replace(id, spec, expected(existing.revision)) };
    });
    const changes = describeChanges(strip(before), strip(after));
    this.logger.log(
      { event: 'relay.replaced', relayId: id, name: after.name, revision: after.revision, changes, origin },
      `relay ${id} (${after.name}) replaced: ${changes.join('; ') || 'no change'}`,
    );
    await this.reconciler.waitForRevision(after.revision, APPLY_WAIT_MS);
    return after;
  }

  async delete(id: string, condition: RevisionCondition, origin: ChangeOrigin): Promise<void> {
    const relay = await this.queue.run(async () => {
      const existing = await this.get(id);
      await this.store.delete(id, revisionToExpect(existing.revision, condition));
      return existing;
    });
    this.logger.log(
      { event: 'relay.deleted', relayId: id, name: relay.name, origin },
      `relay ${id} (${relay.name}) deleted`,
    );
    const { revision } = await this.store.list();
    await this.reconciler.waitForRevision(revision, APPLY_WAIT_MS);
  }

  /** Runs a multi-relay write (import) in the same queue as single writes. */
  exclusive<T>(task: () => Promise<T>): Promise<T> {
    return this.queue.run(task);
  }

  /** 404 for an unknown id; names the relay when `id` is in fact a relay's name (a common slip). */
  private notFound(id: string, relays: Relay[]): NotFoundException {
    return notFound(
      id,
      relays.find((relay) => relay.name === id),
    );
  }
}

export function notFound(id: string, named?: Relay): NotFoundException {
  const shown = id.length > 80 ? `${id.slice(0, 77)}...` : id;
  if (named === undefined) return new NotFoundException(`relay '${shown}' not found`);
  return new NotFoundException(
    `no relay has the id '${shown}'; a relay named '${shown}' exists with the id '${named.id}' ` +
      `(/api/v1/relays/${encodeURIComponent(named.id)}, or find relays by name with /api/v1/relays?name=...)`,
  );
}

interface Edit {
  spec: RelaySpec;
  /** The revision the store must still hold, given the one read: undefined = any. */
  expected: (current: number) => number | undefined;
}

/** Tries of an unconditional PATCH that lost a race with another node's write. */
const PATCH_ATTEMPTS = 3;

function hasRevision(patch: unknown): boolean {
  return isPlainObject(patch) && 'revision' in patch;
}

function strip(relay: Relay): Omit<Relay, 'revision'> {
  const { revision: _revision, ...rest } = relay;
  return rest;
}
