// decideHandover rule by rule: the active hands over only to a peer with strictly more live
// inputs for the whole hold-down; ties, silence everywhere and a returning input move nothing.
import { decideHandover, type HandoverFacts, type PeerInputs } from '../src/cluster/handover-decision';

const HOLD_DOWN_MS = 300;

function facts(overrides: Partial<HandoverFacts>): HandoverFacts {
  return {
    nowMs: 10_000,
    holdDownMs: HOLD_DOWN_MS,
    leading: true,
    liveInputs: 0,
    peers: [],
    worseSinceMs: undefined,
    ...overrides,
  };
}

const peer = (nodeId: string, liveInputs: number | undefined, maintenance = false): PeerInputs => ({
  nodeId,
  liveInputs,
  maintenance,
});

describe('decideHandover', () => {
  it('a strictly better peer starts the hold-down; nothing moves before it has passed', () => {
    const first = decideHandover(facts({ liveInputs: 0, peers: [peer('b', 1)] }));
    expect(first).toEqual({ worseSinceMs: 10_000 });
    const before = decideHandover(facts({ nowMs: 10_299, liveInputs: 0, peers: [peer('b', 1)], worseSinceMs: 10_000 }));
    expect(before).toEqual({ worseSinceMs: 10_000 });
  });

  it('after the hold-down it names the peer, its count and how long this node has been worse', () => {
    const decision = decideHandover(
      facts({ nowMs: 10_300, liveInputs: 3, peers: [peer('b', 5)], worseSinceMs: 10_000 }),
    );
    expect(decision.to).toEqual({ nodeId: 'b', liveInputs: 5, worseForMs: 300 });
  });

  it('equally alive, or silent everywhere: nothing moves and the hold-down resets', () => {
    expect(decideHandover(facts({ liveInputs: 2, peers: [peer('b', 2)], worseSinceMs: 9_000 }))).toEqual({
      worseSinceMs: undefined,
    });
    expect(decideHandover(facts({ liveInputs: 0, peers: [peer('b', 0)], worseSinceMs: 9_000 }))).toEqual({
      worseSinceMs: undefined,
    });
  });

  it('no revert: a node that got the lead back its inputs is not worse than the peer with as many', () => {
    // b took over when a went silent; a's input is back: b (now leading) sees a equal, not better
    expect(decideHandover(facts({ liveInputs: 1, peers: [peer('a', 1)] })).to).toBeUndefined();
  });

  it('a node that does not lead never hands over', () => {
    const decision = decideHandover(facts({ leading: false, peers: [peer('b', 9)], worseSinceMs: 0 }));
    expect(decision).toEqual({ worseSinceMs: undefined });
  });

  it('peers in maintenance or without a count are never chosen', () => {
    const decision = decideHandover(
      facts({ liveInputs: 1, peers: [peer('b', 9, true), peer('c', undefined)], worseSinceMs: 0 }),
    );
    expect(decision).toEqual({ worseSinceMs: undefined });
  });

  it('the peer with the most live inputs wins; the lowest node id among equals', () => {
    const peers = [peer('d', 4), peer('c', 7), peer('b', 7)];
    expect(decideHandover(facts({ liveInputs: 1, peers, worseSinceMs: 0 })).to?.nodeId).toBe('b');
  });
});
