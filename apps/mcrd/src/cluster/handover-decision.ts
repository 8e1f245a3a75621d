// When the active node should hand leadership to a peer because of data-plane health, as a pure
// function: a peer that has had live inputs for strictly more relays than this node, for the whole
// hold-down time, gets the lead. Ties (silent everywhere, equally alive) never move anything, and a
// node whose inputs come back does not take the lead back: only "strictly more" moves it.

/** A peer as its member record says (liveInputs is absent on nodes that do not report it). */
export interface PeerInputs {
  nodeId: string;
  maintenance: boolean;
  liveInputs?: number;
}

export interface HandoverFacts {
  /** Monotonic now (ms). */
  nowMs: number;
  holdDownMs: number;
  /** This node holds the lead and nothing else is moving it (no switchover pending). */
  leading: boolean;
  liveInputs: number;
  peers: readonly PeerInputs[];
  /** Since when a peer has been strictly better, as the previous decision returned it. */
  worseSinceMs: number | undefined;
}

export interface HandoverDecision {
  /** Carried to the next decision: when this node started to be worse than a peer. */
  worseSinceMs: number | undefined;
  /** The peer to hand over to, once the hold-down has passed. */
  to?: { nodeId: string; liveInputs: number; worseForMs: number };
}

export function decideHandover(facts: HandoverFacts): HandoverDecision {
  const best = facts.leading ? bestPeer(facts.peers) : undefined;
  if (best === undefined || best.liveInputs <= facts.liveInputs) return { worseSinceMs: undefined };
  const worseSinceMs = facts.worseSinceMs ?? facts.nowMs;
  const worseForMs = facts.nowMs - worseSinceMs;
  if (worseForMs < facts.holdDownMs) return { worseSinceMs };
  return { worseSinceMs, to: { nodeId: best.nodeId, liveInputs: best.liveInputs, worseForMs } };
}

/** The peer with the most live inputs that may take the lead; the lowest node id among equals. */
function bestPeer(peers: readonly PeerInputs[]): { nodeId: string; liveInputs: number } | undefined {
  let best: { nodeId: string; liveInputs: number } | undefined;
  for (const { nodeId, maintenance, liveInputs } of peers) {
    if (maintenance || liveInputs === undefined) continue;
    if (best === undefined || liveInputs > best.liveInputs || (liveInputs === best.liveInputs && nodeId < best.nodeId))
      best = { nodeId, liveInputs };
  }
  return best;
}
