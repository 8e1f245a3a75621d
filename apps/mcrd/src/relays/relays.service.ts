// Relay CRUD: checks, one durable store write, then waits (briefly) until the reconciler has
// applied the change, so a 201 means the engine already runs the relay. Logs every change.
import { Inject, Injectable, Logger, NotFoundException } from '@nestjs/common';
import type { Relay, RelaySpec } from '@mcr/model';
import type { RelayStore } from '@mcr/store';
import { Reconciler } from '../reconciler/reconciler.service';
import { RELAY_STORE } from '../tokens';
import { describeChanges } from './change-diff';
import { revisionToExpect, type RevisionCondition } from './if-match';
import { MutationQueue } from './mutation-queue';
import { RelayChecks } from './relay-checks';

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

  async list(): Promise<Relay[]> {
    return (await this.store.list()).relays;
  }

  async get(id: string): Promise<Relay> {
    const relay = await this.store.get(id);
    if (relay === undefined) throw notFound(id);
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
    const { before, after } = await this.queue.run(async () => {
      const all = await this.list();
      const existing = all.find((relay) => relay.id === id);
      if (existing === undefined) throw notFound(id);
      this.checks.check(
        spec,
        all.filter((relay) => relay.id !== id),
      );
      const expected = revisionToExpect(existing.revision, condition);
      return { before: existing, after: await this.store.replace(id, spec, expected) };
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
}

export function notFound(id: string): NotFoundException {
  return new NotFoundException(`relay '${id.length > 80 ? `${id.slice(0, 77)}...` : id}' not found`);
}

function strip(relay: Relay): Omit<Relay, 'revision'> {
  const { revision: _revision, ...rest } = relay;
  return rest;
}
