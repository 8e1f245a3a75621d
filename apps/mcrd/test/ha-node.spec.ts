// HaNode, the shell around decideRole, on an in-memory etcd and fake timers: the transitions of
// docs/ha.md run as scenarios with several nodes (real LeaseKeeper, HaNode and decision), and the
// times they happen at are exact fake times, not wall-clock bounds.
import type { OnStoreLoss } from '../src/config/config.types';
import { HaNode } from '../src/cluster/ha-node';
import type { LeadershipStore } from '../src/cluster/leadership-store';
import { LeaseKeeper } from '../src/cluster/lease-keeper';
import { fakeTimersClock, useFakeClock } from './support/fake-clock';
import { FakeEngine } from './support/fake-engine';
import { FakeLeadershipCluster, fakeEtcdLeaseClient } from './support/fake-leadership';

const START_MS = 1_000_000;
/** TTL 1 s: renewals every 250 ms, fencing deadline = renewal sent + 750 ms. */
const TTL_S = 1;
const NS_PER_MS = 1_000_000n;

interface TestNode {
  id: string;
  node: HaNode;
  store: LeadershipStore;
  engine: FakeEngine;
  logs: string[];
  /** Whether this node's one relay input receives: each liveness poll then sees one more datagram. */
  feed: { receiving: boolean };
}

let cluster: FakeLeadershipCluster;
let running: HaNode[];

beforeEach(() => {
  useFakeClock(START_MS);
  cluster = new FakeLeadershipCluster();
  running = [];
});
afterEach(async () => {
  for (const node of running) await node.stop();
  cluster.dispose();
  jest.useRealTimers();
});

function startNode(id: string, onStoreLoss: OnStoreLoss = 'standby'): TestNode {
  const engine = new FakeEngine();
  const logs: string[] = [];
  // Role changes are logged as (fields, text): the text is what an operator reads.
  const record = (message: unknown, text?: unknown) => void logs.push(String(text ?? message));
  const logger = { log: record, warn: record };
  const store = cluster.storeFor(id);
  const feed = { receiving: true };
  let packetsIn = 0;
  const node = new HaNode({
    store,
    createLease: (events) => new LeaseKeeper(fakeEtcdLeaseClient(cluster, id), TTL_S, events, fakeTimersClock),
    nodeId: id,
    leaseTtlS: TTL_S,
    onStoreLoss,
    engine,
    inputs: () => {
      if (feed.receiving) packetsIn += 1;
      return { ids: ['feed'], packetsIn: [packetsIn] };
    },
    logger,
    clock: fakeTimersClock,
  });
  node.start();
  running.push(node);
  return { id, node, store, engine, logs, feed };
}

/** Lets every answer and watch event that is due now arrive, without moving time. */
async function settle(): Promise<void> {
  await jest.advanceTimersByTimeAsync(0);
}

/** Advances fake time in 10 ms steps until `condition` holds; returns the fake time it first held. */
async function advanceUntil(condition: () => boolean, limitMs = 10_000): Promise<number> {
  const giveUpAt = Date.now() + limitMs;
  await settle();
  while (!condition()) {
    if (Date.now() >= giveUpAt) throw new Error(`not within ${limitMs} ms of fake time`);
    await jest.advanceTimersByTimeAsync(10);
  }
  return Date.now();
}

const active = (...nodes: TestNode[]) => nodes.filter((n) => n.engine.role === 'active').map((n) => n.id);

/** a active, then b standby behind it (a cluster at rest). */
async function twoNodes(onStoreLoss: OnStoreLoss = 'standby'): Promise<[TestNode, TestNode]> {
  const a = startNode('a', onStoreLoss);
  await advanceUntil(() => a.engine.role === 'active');
  const b = startNode('b', onStoreLoss);
  await settle();
  return [a, b];
}

describe('start and election', () => {
  it('a node starts standby with a fencing deadline of now, then wins the free key at its first grant', async () => {
    const a = startNode('a');
    expect(a.engine.role).toBe('standby');
    expect(a.engine.forwardUntil).toBe(BigInt(START_MS) * NS_PER_MS);
    await settle();
    expect(a.engine.role).toBe('active');
    expect(a.node.leader).toBe('a');
    expect(a.engine.forwardUntil).toBe(BigInt(START_MS + 750) * NS_PER_MS);
    expect(a.node.counters).toEqual({
      failovers: { leader_key_free: 1, switchover: 0, input_liveness: 0, fencing_lifted: 0 },
      renewals: 1,
    });
    expect(cluster.memberIds).toEqual(['a']);
  });

  it('MCR_ON_STORE_LOSS=keep: no fencing deadline is ever set', async () => {
    const a = startNode('a', 'keep');
    await advanceUntil(() => a.engine.role === 'active');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(a.engine.forwardUntil).toBeUndefined();
  });

  it('a second node stays standby, names the leader, and both are members', async () => {
    const [a, b] = await twoNodes();
    await jest.advanceTimersByTimeAsync(250); // b's first refresh has read the member list
    expect(active(a, b)).toEqual(['a']);
    expect(b.node.leader).toBe('a');
    expect(b.node.members.map((member) => [member.nodeId, member.role]).sort()).toEqual([
      ['a', 'active'],
      ['b', 'standby'],
    ]);
  });
});

describe('failover', () => {
  it('kill -9 of the active (it vanishes from etcd): the standby takes over once its lease expires', async () => {
    const [, b] = await twoNodes();
    await jest.advanceTimersByTimeAsync(300); // a's last renewal is sent at START + 250 ms
    cluster.cut('a');
    const takeover = await advanceUntil(() => b.engine.role === 'active');
    expect(takeover).toBeGreaterThanOrEqual(START_MS + 250 + 1_000); // not before the lease expired
    expect(takeover).toBeLessThanOrEqual(START_MS + 250 + 1_000 + 20); // the expiry check, then the watch
    expect(b.node.leader).toBe('b');
    expect(b.node.counters.failovers.leader_key_free).toBe(1);
  });

  it('SIGTERM of the active: it stops forwarding, then revokes its lease; the standby takes over at once', async () => {
    const [a, b] = await twoNodes();
    const setRole = jest.spyOn(a.engine, 'setRole');
    const revoke = jest.spyOn(cluster, 'revoke');
    const stoppedAt = Date.now();
    await a.node.stop();
    const takeover = await advanceUntil(() => b.engine.role === 'active');
    expect(takeover).toBe(stoppedAt);
    expect(setRole).toHaveBeenCalledWith('standby');
    expect(setRole.mock.invocationCallOrder[0]).toBeLessThan(revoke.mock.invocationCallOrder[0]);
  });
});

describe('the active cut off from etcd while its peer still has it', () => {
  it('MCR_ON_STORE_LOSS=standby: it fences at its deadline, before the standby starts; after healing one active', async () => {
    const [a, b] = await twoNodes();
    await jest.advanceTimersByTimeAsync(300);
    cluster.cut('a');
    const fencedAt = await advanceUntil(() => a.engine.role === 'standby');
    expect(fencedAt).toBe(START_MS + 250 + 750); // the deadline of its last renewal
    expect(a.node.fenced).toBe(true);
    expect(a.logs).toContain('role: standby (fenced: no lease renewal acknowledged in time (etcd unreachable?))');
    const takeover = await advanceUntil(() => b.engine.role === 'active');
    expect(takeover).toBeGreaterThan(fencedAt); // no overlap: never both active
    // Renewals fail every 250 ms during the cut; the log says so once.
    expect(a.logs.filter((line) => line.startsWith('lease renewal failed'))).toEqual([
      'lease renewal failed: 14 UNAVAILABLE: No connection established',
    ]);
    cluster.heal('a');
    await advanceUntil(() => a.logs.includes('lease lost: lease L1 expired on the etcd server'));
    expect(a.node.fenced).toBe(false);
    expect(a.node.leader).toBe('b');
    await jest.advanceTimersByTimeAsync(1_000);
    expect(active(a, b)).toEqual(['b']);
  });

  it('MCR_ON_STORE_LOSS=keep: it keeps forwarding, the standby starts after the TTL too; after healing the old active steps down', async () => {
    const [a, b] = await twoNodes('keep');
    await jest.advanceTimersByTimeAsync(300);
    cluster.cut('a');
    await advanceUntil(() => b.engine.role === 'active');
    expect(active(a, b)).toEqual(['a', 'b']); // both forward: the price of no outage
    cluster.heal('a');
    await advanceUntil(() => a.engine.role === 'standby');
    expect(active(a, b)).toEqual(['b']);
  });
});

describe('etcd quorum lost (every node cut off)', () => {
  it('MCR_ON_STORE_LOSS=keep: the active keeps forwarding and nobody else starts; one active once it returns', async () => {
    const [a, b] = await twoNodes('keep');
    cluster.cut('a');
    cluster.cut('b');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(active(a, b)).toEqual(['a']);
    cluster.heal('a');
    cluster.heal('b');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(active(a, b)).toHaveLength(1);
  });

  it('MCR_ON_STORE_LOSS=standby: everyone stops; forwarding resumes by itself once etcd is back', async () => {
    const [a, b] = await twoNodes();
    cluster.cut('a');
    cluster.cut('b');
    await advanceUntil(() => a.engine.role === 'standby');
    await jest.advanceTimersByTimeAsync(5_000);
    expect(active(a, b)).toEqual([]);
    cluster.heal('a');
    cluster.heal('b');
    await advanceUntil(() => active(a, b).length === 1, 2_000);
    await jest.advanceTimersByTimeAsync(1_000);
    expect(active(a, b)).toHaveLength(1);
  });
});

describe('switchover', () => {
  it('asked on any node: the active stops and resigns, only the named node takes the key (the request is consumed)', async () => {
    const [a, b] = await twoNodes();
    const c = startNode('c');
    await settle();
    const setRole = jest.spyOn(a.engine, 'setRole');
    const resign = jest.spyOn(a.store, 'resign');
    await b.node.switchover('c');
    await advanceUntil(() => c.engine.role === 'active');
    expect(active(a, b, c)).toEqual(['c']);
    expect([a.node.leader, b.node.leader]).toEqual(['c', 'c']);
    expect(cluster.switchoverTo).toBeNull();
    expect(setRole.mock.invocationCallOrder[0]).toBeLessThan(resign.mock.invocationCallOrder[0]);
  });

  it('a request the named node never takes lapses after 3 TTLs (at least 3 s); then the key is free for all', async () => {
    const [a, b] = await twoNodes();
    const c = startNode('c');
    await settle();
    cluster.cut('c');
    const requestedAt = Date.now();
    await b.node.switchover('c');
    await advanceUntil(() => a.engine.role === 'standby');
    const next = await advanceUntil(() => active(a, b).length === 1);
    expect(next).toBeGreaterThanOrEqual(requestedAt + 3_000);
    expect(next).toBeLessThanOrEqual(requestedAt + 3_000 + 20);
    expect(c.engine.role).toBe('standby');
  });
});

describe('maintenance mode', () => {
  it('on the active: it hands over, never campaigns again (even alone, even after a restart) until switched off', async () => {
    const [a, b] = await twoNodes();
    await a.node.setMaintenance(true);
    await advanceUntil(() => b.engine.role === 'active');
    expect(a.engine.role).toBe('standby');
    await b.node.stop(); // a is alone now, with the key free
    await jest.advanceTimersByTimeAsync(2_000);
    expect(a.engine.role).toBe('standby');

    await a.node.stop();
    const restarted = startNode('a');
    await jest.advanceTimersByTimeAsync(2_000);
    expect(restarted.engine.role).toBe('standby');
    expect(restarted.node.maintenance).toBe(true);
    expect(restarted.logs).toContain('maintenance mode on (set before this start): not campaigning');

    await restarted.node.setMaintenance(false);
    await advanceUntil(() => restarted.engine.role === 'active', 100);
  });
});

describe('handover on input liveness', () => {
  /** Both nodes' feed has run long enough for each to count it alive and publish that. */
  async function twoReceivingNodes(): Promise<[TestNode, TestNode]> {
    const nodes = await twoNodes();
    await jest.advanceTimersByTimeAsync(500);
    return nodes;
  }

  it("the active's input goes silent: it hands over (planned: stop, then resign) once the hold-down has passed", async () => {
    const [a, b] = await twoReceivingNodes();
    const silentAt = Date.now();
    a.feed.receiving = false;
    const takeover = await advanceUntil(() => b.engine.role === 'active');
    // silence threshold (150 ms floor, 4 polls of 50 ms: 200 ms) + hold-down 300 ms + one poll each
    expect(takeover - silentAt).toBeGreaterThanOrEqual(200 + 300);
    expect(takeover - silentAt).toBeLessThanOrEqual(200 + 300 + 150);
    expect(a.engine.role).toBe('standby');
    expect(b.node.counters.failovers.input_liveness).toBe(1);
    expect(a.logs.find((line) => line.startsWith('handing over'))).toMatch(
      /^handing over: input silent on a for \d+ ms \(0 of 1 inputs alive\), alive on b \(1\)$/,
    );
    expect(cluster.switchoverTo).toBeNull(); // consumed by b's campaign
  });

  it('never two active at once during the handover', async () => {
    const [a, b] = await twoReceivingNodes();
    a.feed.receiving = false;
    let both = false;
    await advanceUntil(() => {
      both ||= active(a, b).length > 1;
      return b.engine.role === 'active';
    });
    expect(both).toBe(false);
  });

  it('the old active receives again: it does not take the lead back', async () => {
    const [a, b] = await twoReceivingNodes();
    a.feed.receiving = false;
    await advanceUntil(() => b.engine.role === 'active');
    a.feed.receiving = true;
    await jest.advanceTimersByTimeAsync(3_000);
    expect(active(a, b)).toEqual(['b']);
    expect(a.node.inputs.live).toBe(1);
  });

  it('the source stops everywhere: nothing moves', async () => {
    const [a, b] = await twoReceivingNodes();
    a.feed.receiving = false;
    b.feed.receiving = false;
    await jest.advanceTimersByTimeAsync(5_000);
    expect(active(a, b)).toEqual(['a']);
    expect(a.node.inputs.live).toBe(0);
  });

  it("the standby's input goes silent: nothing moves, and the active sees its count", async () => {
    const [a, b] = await twoReceivingNodes();
    b.feed.receiving = false;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(active(a, b)).toEqual(['a']);
    expect(a.node.members.find((member) => member.nodeId === 'b')?.liveInputs).toBe(0);
  });

  it('a silence shorter than the hold-down moves nothing', async () => {
    const [a, b] = await twoReceivingNodes();
    a.feed.receiving = false;
    await jest.advanceTimersByTimeAsync(350); // silent after ~200 ms, alive again before 300 ms more
    a.feed.receiving = true;
    await jest.advanceTimersByTimeAsync(2_000);
    expect(active(a, b)).toEqual(['a']);
  });
});
