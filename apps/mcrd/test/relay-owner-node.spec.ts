// RelayOwnerNode (MCR_PLACEMENT=relay) on the in-memory etcd and fake timers: several nodes with a
// real LeaseKeeper and placement rule. After every 10 ms of fake time the test checks the one
// invariant that matters: no relay is forwarded (owned in the engine and not fenced) by two nodes.
import { LeaseKeeper } from '../src/cluster/lease-keeper';
import { placementRelays } from '../src/cluster/placement-relays';
import { RELEASE_HOLD_DOWN_MS, RelayOwnerNode, type OwnerEngine } from '../src/cluster/relay-owner-node';
import { fakeTimersClock, useFakeClock } from './support/fake-clock';
import { FakeLeadershipCluster, fakeEtcdLeaseClient } from './support/fake-leadership';
import { FakeOwnershipStore } from './support/fake-ownership';

const TTL_S = 1;
const RELAYS = ['r1', 'r2', 'r3', 'r4'];

/** The engine calls the owner node makes, and per-relay inputs that receive while `receiving`. */
class OwnerTestEngine implements OwnerEngine {
  role: 'active' | 'standby' = 'standby';
  closed = false;
  forwardUntilMs = 0;
  newRelaysOwned = true;
  readonly owned = new Set<string>();
  readonly silent = new Set<string>();
  private readonly packets = new Map<string, number>();

  constructor(readonly relayIds: string[]) {}

  setRole(role: 'active' | 'standby'): void {
    this.role = role;
  }
  setForwardUntil(ns: bigint): void {
    this.forwardUntilMs = Number(ns / 1_000_000n);
  }
  setRelayOwned(id: string, owned: boolean): void {
    if (!this.relayIds.includes(id)) throw new Error(`relay '${id}' does not exist`);
    if (owned) this.owned.add(id);
    else this.owned.delete(id);
  }
  setNewRelaysOwned(owned: boolean): void {
    this.newRelaysOwned = owned;
  }
  inputCounts() {
    for (const id of this.relayIds) if (!this.silent.has(id)) this.packets.set(id, (this.packets.get(id) ?? 0) + 1);
    return { ids: this.relayIds, packetsIn: Float64Array.from(this.relayIds, (id) => this.packets.get(id) ?? 0) };
  }
  /** What the workers would send now. */
  forwarding(): string[] {
    if (this.role !== 'active' || Date.now() >= this.forwardUntilMs) return [];
    return [...this.owned].sort();
  }
}

interface TestNode {
  id: string;
  node: RelayOwnerNode;
  engine: OwnerTestEngine;
}

let cluster: FakeLeadershipCluster;
let nodes: TestNode[];
let doubleForwarded: string[];
/** relay id → its preferredNode, as the stored relays say (read at every placement). */
let preferredNodes: Map<string, string>;

beforeEach(() => {
  useFakeClock();
  cluster = new FakeLeadershipCluster();
  nodes = [];
  doubleForwarded = [];
  preferredNodes = new Map();
});
afterEach(async () => {
  for (const { node } of nodes) await node.stop();
  cluster.dispose();
  jest.useRealTimers();
});

/** `silent`: relays whose input this node never receives, from its engine's first count on. */
function startNode(id: string, silent: string[] = []): TestNode {
  const engine = new OwnerTestEngine([...RELAYS]);
  for (const relay of silent) engine.silent.add(relay);
  const node = new RelayOwnerNode({
    leadership: cluster.storeFor(id),
    ownership: new FakeOwnershipStore(cluster, id),
    createLease: (events) => new LeaseKeeper(fakeEtcdLeaseClient(cluster, id), TTL_S, events, fakeTimersClock),
    nodeId: id,
    leaseTtlS: TTL_S,
    engine,
    relays: () =>
      placementRelays(engine.relayIds, new Map([...preferredNodes].map(([id, node]) => [id, { preferredNode: node }]))),
    logger: { log: () => undefined, warn: () => undefined },
    clock: fakeTimersClock,
  });
  node.start();
  const started = { id, node, engine };
  nodes.push(started);
  return started;
}

/** kill -9: no more renewals, no revoke; its engine keeps its flags until the fencing deadline. */
async function kill(victim: TestNode): Promise<void> {
  cluster.cut(victim.id);
  nodes = nodes.filter((n) => n !== victim);
  await victim.node.stop(); // the revoke fails: the node is cut off, as a dead process would be
}

function checkNoDoubleForwarding(): void {
  const seen = new Map<string, string>();
  for (const { id, engine } of nodes) {
    for (const relay of engine.forwarding()) {
      if (seen.has(relay)) doubleForwarded.push(`${relay} on ${seen.get(relay)} and ${id} at ${Date.now()}`);
      seen.set(relay, id);
    }
  }
}

async function advance(ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 10) {
    await jest.advanceTimersByTimeAsync(10);
    checkNoDoubleForwarding();
  }
}

async function advanceUntil(condition: () => boolean, limitMs = 10_000): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start >= limitMs) throw new Error(`not within ${limitMs} ms of fake time`);
    await advance(10);
  }
  return Date.now() - start;
}

const forwarded = (n: TestNode) => n.engine.forwarding();
const allForwarded = () => nodes.flatMap(forwarded).sort();

async function twoNodesSpread(): Promise<[TestNode, TestNode]> {
  const a = startNode('a');
  const b = startNode('b');
  await advanceUntil(() => forwarded(a).length === 2 && forwarded(b).length === 2);
  await advance(1_000);
  return [a, b];
}

describe('relay placement', () => {
  it('spreads 4 relays 2/2 over two nodes, and nothing moves at rest', async () => {
    const [a, b] = await twoNodesSpread();
    const before = [forwarded(a), forwarded(b)];
    const writes = cluster.ownerWrites;
    await advance(5_000);
    expect([forwarded(a), forwarded(b)]).toEqual(before);
    expect(allForwarded()).toEqual(RELAYS);
    expect(cluster.ownerWrites).toBe(writes);
    expect(doubleForwarded).toEqual([]);
    expect(a.engine.newRelaysOwned).toBe(false);
  });

  it('a node that dies moves only its relays, within its lease TTL plus a renewal', async () => {
    const [a, b] = await twoNodesSpread();
    const kept = forwarded(b);
    await kill(a);
    const gapMs = await advanceUntil(() => forwarded(b).length === 4);
    expect(gapMs).toBeLessThanOrEqual(TTL_S * 1000 + 300);
    expect(forwarded(b).filter((id) => kept.includes(id))).toEqual(kept);
    expect(doubleForwarded).toEqual([]);
  });

  it('a node that starts with a node forwarding everything takes half, duplicate-free', async () => {
    const a = startNode('a');
    await advanceUntil(() => forwarded(a).length === 4);
    const b = startNode('b');
    await advanceUntil(() => forwarded(b).length === 2);
    await advance(2_000);
    expect([forwarded(a).length, forwarded(b).length]).toEqual([2, 2]);
    expect(allForwarded()).toEqual(RELAYS);
    expect(doubleForwarded).toEqual([]);
  });

  it('a third node joining takes a fair share, moving only that share', async () => {
    const [a, b] = await twoNodesSpread();
    const before = new Map<string, string>([
      ...forwarded(a).map((id): [string, string] => [id, 'a']),
      ...forwarded(b).map((id): [string, string] => [id, 'b']),
    ]);
    const c = startNode('c');
    await advanceUntil(() => forwarded(c).length === 1);
    await advance(2_000);
    expect(forwarded(c)).toHaveLength(1);
    const moved = RELAYS.filter((id) => !forwarded(before.get(id) === 'a' ? a : b).includes(id));
    expect(moved).toEqual(forwarded(c));
    expect(allForwarded()).toEqual(RELAYS);
    expect(doubleForwarded).toEqual([]);
  });

  it('a node in maintenance owns nothing; out of it, it takes a share again', async () => {
    const [a, b] = await twoNodesSpread();
    await a.node.setMaintenance(true);
    await advanceUntil(() => forwarded(a).length === 0 && forwarded(b).length === 4);
    await advance(1_000);
    expect(forwarded(a)).toEqual([]);
    await a.node.setMaintenance(false);
    await advanceUntil(() => forwarded(a).length === 2);
    expect(allForwarded()).toEqual(RELAYS);
    expect(doubleForwarded).toEqual([]);
  });

  it('an input silent on its owner and alive elsewhere moves that relay only, within 1 s', async () => {
    const [a, b] = await twoNodesSpread();
    const [lost, kept] = forwarded(a);
    const bBefore = forwarded(b);
    a.engine.silent.add(lost);
    const gapMs = await advanceUntil(() => forwarded(b).includes(lost));
    expect(gapMs).toBeLessThanOrEqual(1_000);
    await advance(2_000);
    expect(forwarded(a)).toEqual([kept]);
    expect(forwarded(b)).toEqual([...bBefore, lost].sort());
    expect(doubleForwarded).toEqual([]);
  });

  it('an input silent everywhere moves nothing, and a returning input does not move it back', async () => {
    const [a, b] = await twoNodesSpread();
    const before = [forwarded(a), forwarded(b)];
    const [stopped] = forwarded(a);
    a.engine.silent.add(stopped);
    b.engine.silent.add(stopped);
    await advance(3_000);
    expect([forwarded(a), forwarded(b)]).toEqual(before);
    a.engine.silent.delete(stopped);
    b.engine.silent.delete(stopped);
    await advance(3_000);
    expect([forwarded(a), forwarded(b)]).toEqual(before);
  });

  it('a silence shorter than the hold-down moves nothing (no flapping)', async () => {
    const [a, b] = await twoNodesSpread();
    const before = [forwarded(a), forwarded(b)];
    const [flaky] = forwarded(a);
    for (let i = 0; i < 5; i++) {
      a.engine.silent.add(flaky);
      await advance(400); // silent after 200 ms (4 polls), then 200 ms of the 300 ms hold-down
      a.engine.silent.delete(flaky);
      await advance(500);
    }
    expect([forwarded(a), forwarded(b)]).toEqual(before);
  });

  it('a node cut off from etcd stops forwarding before its peer takes its relays', async () => {
    const [a, b] = await twoNodesSpread();
    cluster.cut('a');
    await advanceUntil(() => forwarded(b).length === 4);
    expect(forwarded(a)).toEqual([]);
    expect(doubleForwarded).toEqual([]);
    cluster.heal('a');
    await advanceUntil(() => forwarded(a).length === 2, 5_000);
    expect(allForwarded()).toEqual(RELAYS);
    expect(doubleForwarded).toEqual([]);
  });
});

describe('a relay with a preferredNode', () => {
  it('goes to that node, leaves it for its maintenance and moves back after it, duplicate-free', async () => {
    preferredNodes.set('r1', 'b');
    const a = startNode('a');
    await advanceUntil(() => forwarded(a).length === 4);
    const b = startNode('b');
    await advanceUntil(() => forwarded(b).includes('r1'));
    await advance(2_000);
    expect(forwarded(b)).toContain('r1');
    expect(allForwarded()).toEqual(RELAYS);

    await b.node.setMaintenance(true);
    await advanceUntil(() => forwarded(a).includes('r1'));
    await b.node.setMaintenance(false);
    const backMs = await advanceUntil(() => forwarded(b).includes('r1'));
    // A planned handover: the owner releases after the hold-down, then the preferred node claims.
    expect(backMs).toBeGreaterThanOrEqual(RELEASE_HOLD_DOWN_MS);
    await advance(2_000);
    expect(forwarded(b)).toContain('r1');
    expect(allForwarded()).toEqual(RELAYS);
    expect(doubleForwarded).toEqual([]);
  });

  it('stays where its input is received while the preferred node does not receive it', async () => {
    preferredNodes.set('r1', 'b');
    const a = startNode('a');
    await advanceUntil(() => forwarded(a).length === 4);
    const b = startNode('b', ['r1']);
    await advanceUntil(() => forwarded(b).length > 0);
    await advance(3_000);
    expect(forwarded(a)).toContain('r1');
    b.engine.silent.delete('r1');
    await advanceUntil(() => forwarded(b).includes('r1'));
    expect(allForwarded()).toEqual(RELAYS);
    expect(doubleForwarded).toEqual([]);
  });

  it('a preferredNode that is no member is ignored: the relay is placed as usual', async () => {
    preferredNodes.set('r1', 'gone');
    startNode('a');
    startNode('b');
    await advanceUntil(() => allForwarded().length === 4);
    await advance(2_000);
    expect(allForwarded()).toEqual(RELAYS);
    expect(doubleForwarded).toEqual([]);
  });
});
