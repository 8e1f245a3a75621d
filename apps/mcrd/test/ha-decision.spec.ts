// decideRole: every transition of docs/ha.md as a pure function of facts, one rule per test.
// The table in docs/ha.md ("Where the decision lives, and its tests") maps each documented
// transition to the tests here (and to the ha-node.spec.ts scenarios that run it end to end).
import { decideRole, type HaFacts } from '../src/cluster/ha-decision';

const MS = 1_000_000n;

/** relay-a, lease L1 renewed until t = 1000 ms, now t = 500 ms, key free, no request, maintenance off. */
function facts(overrides: Partial<HaFacts> = {}): HaFacts {
  return {
    nodeId: 'relay-a',
    onStoreLoss: 'standby',
    nowNs: 500n * MS,
    leaseId: 'L1',
    fenceDeadlineNs: 1_000n * MS,
    leaderKey: null,
    switchoverTo: null,
    maintenance: false,
    stopping: false,
    ...overrides,
  };
}

const holding = { leaderKey: { nodeId: 'relay-a', leaseId: 'L1' } };

describe('decideRole: start and election', () => {
  it('without a lease the node is standby and does not campaign (start, or lease gone)', () => {
    expect(decideRole(facts({ leaseId: undefined }))).toEqual({
      role: 'standby',
      reason: 'no lease: etcd has not granted one, or it expired',
      action: undefined,
      fenced: false,
    });
  });

  it('with a lease and a free key it campaigns, still standby until it holds the key', () => {
    expect(decideRole(facts())).toMatchObject({
      role: 'standby',
      action: 'campaign',
      reason: 'the leader key is free',
    });
  });

  it('the holder of the key on its live lease is active and leaves leadership as it is', () => {
    expect(decideRole(facts(holding))).toEqual({
      role: 'active',
      reason: 'holds the leader key on a live lease',
      action: undefined,
      fenced: false,
    });
  });

  it('another node holding the key keeps this one standby, watching', () => {
    expect(decideRole(facts({ leaderKey: { nodeId: 'relay-b', leaseId: 'L9' } }))).toEqual({
      role: 'standby',
      reason: 'the leader is relay-b',
      action: undefined,
      fenced: false,
    });
  });

  it('a key this node wrote on an earlier lease is not its own: it waits for that lease to expire', () => {
    expect(decideRole(facts({ leaseId: 'L2', ...holding }))).toMatchObject({
      role: 'standby',
      action: undefined,
      reason: 'the leader is relay-a',
    });
  });

  it('a key on the current lease but written by another node id is not this node’s', () => {
    expect(decideRole(facts({ leaderKey: { nodeId: 'relay-b', leaseId: 'L1' } }))).toMatchObject({
      role: 'standby',
      action: undefined,
    });
  });
});

describe('decideRole: fencing (MCR_ON_STORE_LOSS=standby)', () => {
  it('the holder stops at its fencing deadline, fenced, and keeps the key', () => {
    expect(decideRole(facts({ ...holding, nowNs: 1_000n * MS }))).toEqual({
      role: 'standby',
      reason: 'fenced: no lease renewal acknowledged in time (etcd unreachable?)',
      action: undefined,
      fenced: true,
    });
  });

  it('one nanosecond before the deadline it still forwards', () => {
    expect(decideRole(facts({ ...holding, nowNs: 1_000n * MS - 1n })).role).toBe('active');
  });

  it('a renewal that moves the deadline lifts the fencing', () => {
    expect(decideRole(facts({ ...holding, nowNs: 1_000n * MS, fenceDeadlineNs: 3_750n * MS }))).toMatchObject({
      role: 'active',
      fenced: false,
    });
  });

  it('no acknowledged renewal yet means no deadline: never active', () => {
    expect(decideRole(facts({ ...holding, fenceDeadlineNs: undefined }))).toMatchObject({
      role: 'standby',
      fenced: true,
    });
  });

  it('a standby is never reported fenced, whatever its deadline', () => {
    expect(decideRole(facts({ nowNs: 5_000n * MS, leaderKey: { nodeId: 'relay-b', leaseId: 'L9' } })).fenced).toBe(
      false,
    );
  });
});

describe('decideRole: MCR_ON_STORE_LOSS=keep (fail-static)', () => {
  it('the holder keeps forwarding past the deadline while etcd has not said the lease is gone', () => {
    expect(decideRole(facts({ ...holding, onStoreLoss: 'keep', nowNs: 60_000n * MS }))).toMatchObject({
      role: 'active',
      fenced: false,
    });
  });

  it('once etcd says the lease is gone it stops', () => {
    expect(decideRole(facts({ ...holding, onStoreLoss: 'keep', leaseId: undefined })).role).toBe('standby');
  });

  it('after the cut heals, seeing another node in the key, the old active steps down', () => {
    expect(decideRole(facts({ onStoreLoss: 'keep', leaderKey: { nodeId: 'relay-b', leaseId: 'L9' } }))).toMatchObject({
      role: 'standby',
      action: undefined,
      reason: 'the leader is relay-b',
    });
  });
});

describe('decideRole: SIGTERM', () => {
  it('a stopping holder stops forwarding and takes no leadership step (the shell revokes the lease)', () => {
    expect(decideRole(facts({ ...holding, stopping: true }))).toEqual({
      role: 'standby',
      reason: 'shutting down',
      action: undefined,
      fenced: false,
    });
  });

  it('a stopping standby does not campaign for a free key', () => {
    expect(decideRole(facts({ stopping: true })).action).toBeUndefined();
  });
});

describe('decideRole: switchover', () => {
  it('the holder named away stops forwarding, then resigns', () => {
    expect(decideRole(facts({ ...holding, switchoverTo: 'relay-b' }))).toEqual({
      role: 'standby',
      reason: 'switchover to relay-b',
      action: 'resign',
      fenced: false,
    });
  });

  it('a request naming the holder itself changes nothing', () => {
    expect(decideRole(facts({ ...holding, switchoverTo: 'relay-a' })).role).toBe('active');
  });

  it('only the named node may take the free key: another one waits', () => {
    expect(decideRole(facts({ switchoverTo: 'relay-b' }))).toMatchObject({
      role: 'standby',
      action: undefined,
      reason: 'switchover to relay-b pending: only relay-b may take the key',
    });
  });

  it('the named node campaigns (and consumes the request with the key)', () => {
    expect(decideRole(facts({ switchoverTo: 'relay-a' })).action).toBe('campaign');
  });

  it('a lapsed request (gone from the store) lets every node campaign again', () => {
    expect(decideRole(facts({ switchoverTo: null })).action).toBe('campaign');
  });
});

describe('decideRole: maintenance mode', () => {
  it('an active node switched to maintenance stops forwarding, then resigns', () => {
    expect(decideRole(facts({ ...holding, maintenance: true }))).toEqual({
      role: 'standby',
      reason: 'maintenance mode',
      action: 'resign',
      fenced: false,
    });
  });

  it('a node in maintenance does not campaign, even for a free key with nobody else left', () => {
    expect(decideRole(facts({ maintenance: true }))).toMatchObject({
      role: 'standby',
      action: undefined,
      reason: 'maintenance mode: not campaigning',
    });
  });

  it('before the persisted flag has been read the node does not campaign', () => {
    expect(decideRole(facts({ maintenance: undefined }))).toMatchObject({ role: 'standby', action: undefined });
  });

  it('maintenance off: it campaigns again', () => {
    expect(decideRole(facts({ maintenance: false })).action).toBe('campaign');
  });

  it('maintenance wins over a switchover naming the node', () => {
    expect(decideRole(facts({ maintenance: true, switchoverTo: 'relay-a' })).action).toBeUndefined();
  });
});
