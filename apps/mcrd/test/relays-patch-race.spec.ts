// PATCH against a store another node writes to: a patch without If-Match is applied to the
// revision it read and, when another node wrote in between (the store's revision check fails),
// applied again to the newer relay, so neither change is lost. With If-Match the 412 stands.
import { Logger } from '@nestjs/common';
import type { Relay, RelaySpec } from '@mcr/model';
import { RevisionMismatchError, type RelayList, type RelayStore } from '@mcr/store';
import type { Reconciler } from '../src/reconciler/reconciler.service';
import type { RelayChecks } from '../src/relays/relay-checks';
import { RelaysService } from '../src/relays/relays.service';

const stored: Relay = {
  id: 'r1',
  name: 'feed-a',
  enabled: true,
  input: { interface: 'eth0', group: '239.1.1.1', port: 5000 },
  outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000, ttl: 1, dscp: 0 }],
  revision: 1,
};

/** A store whose relay another node renames right after the first read. */
class RacingStore {
  relay: Relay = stored;
  readonly writes: { spec: RelaySpec; expected?: number }[] = [];
  private raced = false;

  list(): Promise<RelayList> {
    const answer = { relays: [this.relay], revision: this.relay.revision };
    if (!this.raced) {
      this.raced = true;
      this.relay = { ...this.relay, name: 'renamed-by-node-b', revision: 2 };
    }
    return Promise.resolve(answer);
  }

  replace(id: string, spec: RelaySpec, expected?: number): Promise<Relay> {
    this.writes.push({ spec, expected });
    if (expected !== undefined && expected !== this.relay.revision) {
      return Promise.reject(new RevisionMismatchError(id, expected, this.relay.revision));
    }
    this.relay = { ...this.relay, ...spec, enabled: spec.enabled ?? true, revision: this.relay.revision + 1 };
    return Promise.resolve(this.relay);
  }
}

function service(store: RacingStore): RelaysService {
  const reconciler = { waitForRevision: () => Promise.resolve(true) } as unknown as Reconciler;
  const checks = { check: () => undefined } as unknown as RelayChecks;
  return new RelaysService(store as unknown as RelayStore, reconciler, checks);
}

const origin = { via: 'api' as const };

beforeAll(() => Logger.overrideLogger(false));

describe('PATCH racing a write of another node', () => {
  it('without If-Match: applied again to the newer relay, keeping the other change', async () => {
    const store = new RacingStore();
    const patched = await service(store).patch('r1', { enabled: false }, undefined, origin);
    expect(store.writes.map((write) => write.expected)).toEqual([1, 2]);
    expect(patched).toMatchObject({ name: 'renamed-by-node-b', enabled: false, revision: 3 });
  });

  it('with If-Match: the 412 stands and nothing is written', async () => {
    const store = new RacingStore();
    await expect(service(store).patch('r1', { enabled: false }, '"1"', origin)).rejects.toBeInstanceOf(
      RevisionMismatchError,
    );
    expect(store.relay).toMatchObject({ name: 'renamed-by-node-b', enabled: true, revision: 2 });
  });
});
