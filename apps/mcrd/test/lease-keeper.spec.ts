// LeaseKeeper on fake timers and a fake clock: the fencing deadline of each acknowledged renewal,
// and a renewal that fails on one etcd member is retried on another within the renewal's budget,
// so one dead member of three does not starve the active of renewals and fence it.
import { EventEmitter } from 'node:events';
import type { Etcd3 } from '@mcr/store';
import { LeaseKeeper, type LeaseEvents } from '../src/cluster/lease-keeper';
import { fakeTimersClock, useFakeClock } from './support/fake-clock';

/** What the member that gets the next keepalive does: answer, say the lease is gone, refuse at once, or never answer. */
type MemberBehaviour = 'answers' | 'expired' | 'refuses' | 'silent';

const START_MS = 1_000_000;
/** TTL 1 s: a renewal every 250 ms, a 500 ms budget each, attempts of at most 166 ms. */
const TTL_S = 1;
const RENEW_MS = 250;
const ATTEMPT_MS = 166;

class FakeKeepAliveStream extends EventEmitter {
  constructor(
    private readonly behaviour: MemberBehaviour,
    private readonly deadline: number,
  ) {
    super();
  }

  /** Answers arrive after write() returns but take no time (a fake-timer immediate would take 1 ms). */
  write(): void {
    const later = (event: string, value: unknown) => void Promise.resolve().then(() => this.emit(event, value));
    if (this.behaviour === 'answers') later('data', { TTL: String(TTL_S) });
    else if (this.behaviour === 'expired') later('data', { TTL: '0' });
    else if (this.behaviour === 'refuses') later('error', new Error('14 UNAVAILABLE: connection refused'));
    else setTimeout(() => this.emit('error', new Error('4 DEADLINE_EXCEEDED')), this.deadline - Date.now());
  }

  end(): void {}
}

function fakeClient(behaviours: MemberBehaviour[]) {
  const attempts: { at: number; deadlineInMs: number }[] = [];
  const grants: number[] = [];
  const revoked: string[] = [];
  const client = {
    leaseClient: {
      leaseGrant: async () => {
        grants.push(Date.now());
        return { ID: String(grants.length), TTL: String(TTL_S) };
      },
      leaseKeepAlive: async ({ deadline }: { deadline: number }) => {
        attempts.push({ at: Date.now(), deadlineInMs: deadline - Date.now() });
        return new FakeKeepAliveStream(behaviours.shift() ?? 'answers', deadline);
      },
      leaseRevoke: async ({ ID }: { ID: string }) => void revoked.push(ID),
    },
  };
  return { client: client as unknown as Etcd3, attempts, grants, revoked };
}

function recorder() {
  const seen: { deadlinesMs: number[]; failed: string[]; lost: string[] } = { deadlinesMs: [], failed: [], lost: [] };
  const events: LeaseEvents = {
    renewed: (deadlineNs) => void seen.deadlinesMs.push(Number(deadlineNs / 1_000_000n)),
    failed: (reason) => void seen.failed.push(reason),
    lost: (reason) => void seen.lost.push(reason),
  };
  return { seen, events };
}

/** Starts a keeper (its grant at START_MS) and runs it for `runMs` of fake time; ends between ticks. */
async function run(behaviours: MemberBehaviour[], runMs: number) {
  const fake = fakeClient(behaviours);
  const { seen, events } = recorder();
  const keeper = new LeaseKeeper(fake.client, TTL_S, events, fakeTimersClock);
  keeper.start();
  await jest.advanceTimersByTimeAsync(runMs);
  return { keeper, seen, ...fake };
}

beforeEach(() => useFakeClock(START_MS));
afterEach(() => jest.useRealTimers());

describe('LeaseKeeper deadlines', () => {
  it('each acknowledged grant or renewal gives send time + TTL − 250 ms', async () => {
    const { keeper, seen } = await run([], 2 * RENEW_MS + 10);
    await keeper.stop(false);
    expect(keeper.renewIntervalMs).toBe(RENEW_MS);
    expect(seen.deadlinesMs).toEqual([START_MS + 750, START_MS + RENEW_MS + 750, START_MS + 2 * RENEW_MS + 750]);
  });

  it('a lease etcd says is gone is reported lost, and the next tick grants a new one', async () => {
    const { keeper, seen, grants } = await run(['expired'], 2 * RENEW_MS + 10);
    expect(seen.lost).toEqual(['lease 1 expired on the etcd server']);
    expect(grants).toEqual([START_MS, START_MS + 2 * RENEW_MS]);
    expect(keeper.id).toBe('2');
    await keeper.stop(false);
  });

  it('stop(true) revokes the lease; stop(false) lets it expire', async () => {
    const revoking = await run([], 0);
    await revoking.keeper.stop(true);
    expect(revoking.revoked).toEqual(['1']);
    const expiring = await run([], 0);
    await expiring.keeper.stop(false);
    expect(expiring.revoked).toEqual([]);
  });
});

describe('LeaseKeeper renewals', () => {
  it('a member that refuses the keepalive is followed by another attempt in the same renewal', async () => {
    const { keeper, seen, attempts } = await run(['refuses', 'answers'], RENEW_MS + 10);
    await keeper.stop(false);
    expect(seen.failed).toEqual([]);
    expect(attempts.map((attempt) => attempt.at)).toEqual([START_MS + RENEW_MS, START_MS + RENEW_MS]);
    expect(seen.deadlinesMs).toEqual([START_MS + 750, START_MS + RENEW_MS + 750]);
  });

  it('a member that never answers costs one attempt, not the whole budget', async () => {
    const { keeper, seen, attempts } = await run(['silent', 'answers'], RENEW_MS + ATTEMPT_MS + 10);
    await keeper.stop(false);
    expect(seen.failed).toEqual([]);
    expect(attempts).toEqual([
      { at: START_MS + RENEW_MS, deadlineInMs: ATTEMPT_MS },
      { at: START_MS + RENEW_MS + ATTEMPT_MS, deadlineInMs: ATTEMPT_MS },
    ]);
    // The deadline counts from the attempt that was answered, not from the renewal's start.
    expect(seen.deadlinesMs).toEqual([START_MS + 750, START_MS + RENEW_MS + ATTEMPT_MS + 750]);
  });

  it('reports the renewal failed when every attempt fails, and never claims a renewal', async () => {
    const { keeper, seen, attempts } = await run(['refuses', 'refuses', 'refuses'], RENEW_MS + 10);
    await keeper.stop(false);
    expect(seen.deadlinesMs).toEqual([START_MS + 750]); // the grant only
    expect(attempts).toHaveLength(3);
    expect(seen.failed).toEqual(['14 UNAVAILABLE: connection refused']);
    expect(seen.lost).toEqual([]);
  });

  it('three silent members fail the renewal within its 500 ms budget, before the next renewal is due', async () => {
    const { keeper, seen, attempts } = await run(['silent', 'silent', 'silent'], RENEW_MS + 3 * ATTEMPT_MS + 1);
    await keeper.stop(false);
    expect(attempts.map((attempt) => attempt.at - START_MS)).toEqual([
      RENEW_MS,
      RENEW_MS + ATTEMPT_MS,
      RENEW_MS + 2 * ATTEMPT_MS,
    ]);
    expect(seen.failed).toEqual(['4 DEADLINE_EXCEEDED']);
    expect(seen.deadlinesMs).toEqual([START_MS + 750]);
  });
});
