import { placeRelays, type PlacementMember, type PlacementRelay } from '../src/cluster/relay-placement';

const relays = (...ids: string[]): PlacementRelay[] => ids.map((id) => ({ id }));
const node = (nodeId: string, silent?: string[], maintenance = false): PlacementMember => ({
  nodeId,
  maintenance,
  silentInputs: silent === undefined ? undefined : new Set(silent),
});
const owners = (entries: Record<string, string>) => new Map(Object.entries(entries));
const byNode = (placement: Map<string, string>) => {
  const grouped: Record<string, string[]> = {};
  for (const [relay, nodeId] of [...placement.entries()].sort()) (grouped[nodeId] ??= []).push(relay);
  return grouped;
};

describe('placeRelays', () => {
  it('spreads unowned relays 2/2 over two nodes, by count', () => {
    const placement = placeRelays({
      relays: relays('r1', 'r2', 'r3', 'r4'),
      members: [node('a', []), node('b', [])],
      owners: owners({}),
    });
    expect(byNode(placement)).toEqual({ a: ['r1', 'r3'], b: ['r2', 'r4'] });
  });

  it('keeps every owner when the spread is fair (hysteresis: nothing moves)', () => {
    const current = owners({ r1: 'b', r2: 'b', r3: 'a', r4: 'a' });
    const placement = placeRelays({
      relays: relays('r1', 'r2', 'r3', 'r4'),
      members: [node('a', []), node('b', [])],
      owners: current,
    });
    expect(placement).toEqual(current);
  });

  it('moves only the relays of a node that left', () => {
    const current = owners({ r1: 'a', r2: 'b', r3: 'c', r4: 'a', r5: 'b', r6: 'c' });
    const placement = placeRelays({
      relays: relays('r1', 'r2', 'r3', 'r4', 'r5', 'r6'),
      members: [node('a', []), node('b', [])],
      owners: current,
    });
    for (const id of ['r1', 'r2', 'r4', 'r5']) expect(placement.get(id)).toBe(current.get(id));
    expect(byNode(placement)).toEqual({ a: ['r1', 'r3', 'r4'], b: ['r2', 'r5', 'r6'] });
  });

  it('gives a joining node a fair share, moving no more than that', () => {
    const current = owners({ r1: 'a', r2: 'b', r3: 'a', r4: 'b', r5: 'a', r6: 'b' });
    const placement = placeRelays({
      relays: relays('r1', 'r2', 'r3', 'r4', 'r5', 'r6'),
      members: [node('a', []), node('b', []), node('c', [])],
      owners: current,
    });
    const moved = [...placement.entries()].filter(([id, nodeId]) => current.get(id) !== nodeId);
    expect(moved.map(([, nodeId]) => nodeId)).toEqual(['c', 'c']);
    expect(Object.values(byNode(placement)).map((ids) => ids.length)).toEqual([2, 2, 2]);
  });

  it('places nothing on a node in maintenance and moves its relays away', () => {
    const current = owners({ r1: 'a', r2: 'b' });
    const placement = placeRelays({
      relays: relays('r1', 'r2'),
      members: [node('a', [], true), node('b', [])],
      owners: current,
    });
    expect(byNode(placement)).toEqual({ b: ['r1', 'r2'] });
    expect(placeRelays({ relays: relays('r1'), members: [node('a', [], true)], owners: owners({}) }).size).toBe(0);
  });

  it('moves a relay silent on its owner and alive elsewhere, and only that relay', () => {
    const current = owners({ r1: 'a', r2: 'b', r3: 'a', r4: 'b' });
    const placement = placeRelays({
      relays: relays('r1', 'r2', 'r3', 'r4'),
      members: [node('a', ['r1']), node('b', [])],
      owners: current,
    });
    expect(byNode(placement)).toEqual({ a: ['r3'], b: ['r1', 'r2', 'r4'] });
  });

  it('moves nothing when an input is silent everywhere', () => {
    const current = owners({ r1: 'a', r2: 'b' });
    const placement = placeRelays({
      relays: relays('r1', 'r2'),
      members: [node('a', ['r1']), node('b', ['r1'])],
      owners: current,
    });
    expect(placement).toEqual(current);
  });

  it('does not move a relay back when its old owner receives again; one planned move restores the spread', () => {
    const afterMove = owners({ r1: 'b', r2: 'b', r3: 'a', r4: 'b' });
    const members = [node('a', []), node('b', [])];
    const placement = placeRelays({ relays: relays('r1', 'r2', 'r3', 'r4'), members, owners: afterMove });
    expect(placement.get('r1')).toBe('b');
    expect([...placement].filter(([id, nodeId]) => afterMove.get(id) !== nodeId)).toEqual([['r4', 'a']]);
    expect(placeRelays({ relays: relays('r1', 'r2', 'r3', 'r4'), members, owners: placement })).toEqual(placement);
  });

  it('does not take a relay to a node that does not report liveness when its owner is silent', () => {
    const current = owners({ r1: 'a' });
    const placement = placeRelays({ relays: relays('r1'), members: [node('a', ['r1']), node('b')], owners: current });
    expect(placement.get('r1')).toBe('a');
  });

  it('gives a relay to its preferred node while that node is eligible and receives it', () => {
    const preferring: PlacementRelay[] = [{ id: 'r1', preferredNode: 'b' }, { id: 'r2' }];
    const members = [node('a', []), node('b', [])];
    expect(placeRelays({ relays: preferring, members, owners: owners({ r1: 'a', r2: 'a' }) }).get('r1')).toBe('b');
    const silentOnB = [node('a', []), node('b', ['r1'])];
    expect(placeRelays({ relays: preferring, members: silentOnB, owners: owners({ r1: 'a' }) }).get('r1')).toBe('a');
    const bInMaintenance = [node('a', []), node('b', [], true)];
    expect(placeRelays({ relays: preferring, members: bInMaintenance, owners: owners({}) }).get('r1')).toBe('a');
  });
});
