// MCR_PLACEMENT=relay: which node should own each relay, decided the same way on every node from
// the same facts (pure: no store, no time). Each node then claims the relays placed on it that
// nobody owns and releases the ones it owns that are placed elsewhere (relay-owner-node.ts).
//
// The rule, in order, with hysteresis: a relay stays with its owner unless the owner is gone or in
// maintenance, or its input is silent there while alive on another eligible node, or the owner
// holds more than its fair share. Spreading is by relay count: every relay costs one ingress
// socket, one membership and one worker slot whatever its rate, the count is known before the
// first datagram, and it does not change with a feed's bursts (a bit-rate rule would move relays
// whenever a feed's rate changed, which is flapping by construction).

export interface PlacementMember {
  nodeId: string;
  /** A node in maintenance owns nothing. */
  maintenance: boolean;
  /** Relays whose input is not alive on this node; undefined when the node does not say. */
  silentInputs?: ReadonlySet<string>;
}

export interface PlacementRelay {
  id: string;
  /** Owned by this node whenever it is eligible and its input is not silent there. */
  preferredNode?: string;
}

export interface PlacementFacts {
  relays: readonly PlacementRelay[];
  /** Nodes with a live lease (member record). */
  members: readonly PlacementMember[];
  /** relay id → owning node, as etcd holds it now. */
  owners: ReadonlyMap<string, string>;
}

/** relay id → the node that should own it; a relay with no eligible node is absent. */
export type Placement = Map<string, string>;

export function placeRelays(facts: PlacementFacts): Placement {
  const eligible = facts.members.filter((member) => !member.maintenance);
  const byId = new Map(eligible.map((member) => [member.nodeId, member]));
  const placement: Placement = new Map();
  if (eligible.length === 0) return placement;
  const unplaced: PlacementRelay[] = [];
  for (const relay of [...facts.relays].sort((a, b) => compare(a.id, b.id))) {
    const kept = keptOwner(relay, facts.owners.get(relay.id), byId, eligible);
    if (kept === undefined) unplaced.push(relay);
    else placement.set(relay.id, kept);
  }
  for (const relay of unplaced) placement.set(relay.id, leastLoaded(candidates(relay.id, eligible), placement));
  rebalance(facts.relays, eligible, placement);
  return placement;
}

/** The owner a relay keeps, or undefined when it must be placed afresh. */
function keptOwner(
  relay: PlacementRelay,
  owner: string | undefined,
  byId: ReadonlyMap<string, PlacementMember>,
  eligible: readonly PlacementMember[],
): string | undefined {
  const preferred = relay.preferredNode === undefined ? undefined : byId.get(relay.preferredNode);
  if (preferred !== undefined && !isSilent(preferred, relay.id)) return preferred.nodeId;
  const current = owner === undefined ? undefined : byId.get(owner);
  if (current === undefined) return undefined;
  if (isSilent(current, relay.id) && eligible.some((member) => isAlive(member, relay.id))) return undefined;
  return current.nodeId;
}

/** Nodes that receive the relay's input; every eligible node when none does (nothing to prefer). */
function candidates(relayId: string, eligible: readonly PlacementMember[]): PlacementMember[] {
  const alive = eligible.filter((member) => isAlive(member, relayId));
  return alive.length > 0 ? alive : [...eligible];
}

function leastLoaded(nodes: readonly PlacementMember[], placement: Placement): string {
  const load = loads(placement);
  let best = nodes[0].nodeId;
  for (const { nodeId } of nodes) {
    const difference = (load.get(nodeId) ?? 0) - (load.get(best) ?? 0);
    if (difference < 0 || (difference === 0 && compare(nodeId, best) < 0)) best = nodeId;
  }
  return best;
}

/**
 * Moves relays from the most to the least loaded node while they differ by more than one. Only
 * movable relays count and move: no preferredNode, and an input equally received on every eligible
 * node (a relay pinned by its input stays where it is received and does not push another back).
 */
function rebalance(
  relays: readonly PlacementRelay[],
  eligible: readonly PlacementMember[],
  placement: Placement,
): void {
  const movable = relays
    .filter((relay) => relay.preferredNode === undefined && receivedAlike(relay.id, eligible))
    .map((relay) => relay.id)
    .sort(compare);
  for (;;) {
    const load = new Map(eligible.map((member) => [member.nodeId, 0]));
    for (const id of movable) load.set(placement.get(id) as string, (load.get(placement.get(id) as string) ?? 0) + 1);
    const ordered = [...load.entries()].sort((a, b) => a[1] - b[1] || compare(a[0], b[0]));
    const [lightest, lightLoad] = ordered[0];
    const [heaviest, heavyLoad] = ordered[ordered.length - 1];
    if (heavyLoad - lightLoad <= 1) return;
    // The highest id moves: every node picks the same one, and the low ids stay put.
    const moving = movable.filter((id) => placement.get(id) === heaviest).at(-1) as string;
    placement.set(moving, lightest);
  }
}

function loads(placement: Placement): Map<string, number> {
  const load = new Map<string, number>();
  for (const nodeId of placement.values()) load.set(nodeId, (load.get(nodeId) ?? 0) + 1);
  return load;
}

function receivedAlike(relayId: string, eligible: readonly PlacementMember[]): boolean {
  const silent = eligible.filter((member) => isSilent(member, relayId)).length;
  return silent === 0 || silent === eligible.length;
}

function isSilent(member: PlacementMember, relayId: string): boolean {
  return member.silentInputs?.has(relayId) ?? false;
}

/** Known to receive it: a node that does not report liveness is not counted as receiving. */
function isAlive(member: PlacementMember, relayId: string): boolean {
  return member.silentInputs !== undefined && !member.silentInputs.has(relayId);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
