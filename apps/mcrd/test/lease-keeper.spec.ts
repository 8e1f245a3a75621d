// LeaseKeeper: a renewal that fails on one etcd member is retried on another within the renewal's
// budget, so one dead member of three does not starve the active of renewals and fence it.
import { EventEmitter } from 'node:events';
import type { Etcd3 } from '@mcr/store';
import { LeaseKeeper, type LeaseEvents } from '../src/cluster/lease-keeper';

/** What the member that gets the next keepalive does: answer, refuse at once, or never answer. */
type MemberBehaviour = 'answers' | 'refuses' | 'silent';

class FakeKeepAliveStream extends EventEmitter {
  constructor(
    private readonly behaviour: MemberBehaviour,
    private readonly deadline: number,
  ) {
    super();
  }

  write(): void {
    if (this.behaviour === 'answers') setImmediate(() => this.emit('data', { TTL: '1' }));
    else if (this.behaviour === 'refuses') setImmediate(() => this.emit('error', new Error('14 UNAVAILABLE: connection refused')));
    else setTimeout(() => this.emit('error', new Error('4 DEADLINE_EXCEEDED')), Math.max(0, this.deadline - Date.now()));
  }

  end(): void {}
}

function fakeClient(behaviours: MemberBehaviour[]) {
  const attempts: { at: number; deadlineInMs: number }[] = [];
  const client = {
    leaseClient: {
      leaseGrant: async () => ({ ID: '7', TTL: '1' }),
      leaseKeepAlive: async ({ deadline }: { deadline: number }) => {
        attempts.push({ at: Date.now(), deadlineInMs: deadline - Date.now() });
        return new FakeKeepAliveStream(behaviours.shift() ?? 'answers', deadline);
      },
      leaseRevoke: async () => ({}),
    },
  };
  return { client: client as unknown as Etcd3, attempts };
}

function recorder() {
  const seen: { renewed: number; failed: string[]; lost: string[] } = { renewed: 0, failed: [], lost: [] };
  const events: LeaseEvents = {
    renewed: () => void (seen.renewed += 1),
    failed: (reason) => void seen.failed.push(reason),
    lost: (reason) => void seen.lost.push(reason),
  };
  return { seen, events };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** TTL 1 s: renewals every 250 ms, a 500 ms budget each, attempts of at most 166 ms. */
async function runOneRenewal(behaviours: MemberBehaviour[]) {
  const { client, attempts } = fakeClient(behaviours);
  const { seen, events } = recorder();
  const keeper = new LeaseKeeper(client, 1, events);
  keeper.start();
  await sleep(keeper.renewIntervalMs + 520); // the grant, then the first renewal with its whole budget
  await keeper.stop(false);
  return { seen, attempts };
}

describe('LeaseKeeper renewals', () => {
  it('a member that refuses the keepalive is followed by another attempt in the same renewal', async () => {
    const { seen, attempts } = await runOneRenewal(['refuses', 'answers']);
    expect(seen.failed).toEqual([]);
    expect(seen.renewed).toBeGreaterThanOrEqual(2); // the grant and the renewal
    expect(attempts.length).toBeGreaterThanOrEqual(2);
  });

  it('a member that never answers costs one attempt, not the whole budget', async () => {
    const { seen, attempts } = await runOneRenewal(['silent', 'answers']);
    expect(seen.failed).toEqual([]);
    expect(seen.renewed).toBeGreaterThanOrEqual(2);
    expect(attempts[0].deadlineInMs).toBeLessThanOrEqual(170);
    expect(attempts[1].at - attempts[0].at).toBeLessThan(300);
  });

  it('reports the renewal failed when every attempt fails, and never claims a renewal', async () => {
    const { seen, attempts } = await runOneRenewal(Array<MemberBehaviour>(12).fill('refuses'));
    expect(seen.renewed).toBe(1); // the grant only
    expect(seen.failed[0]).toContain('UNAVAILABLE');
    expect(attempts.length).toBeGreaterThanOrEqual(3);
    expect(seen.lost).toEqual([]);
  });
});
