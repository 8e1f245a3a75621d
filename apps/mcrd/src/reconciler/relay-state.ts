// What the node is doing with each stored relay, as shown in stats and the mcr_relays gauge, and
// the one rule that derives it from the reconciler's bookkeeping and the engine's counters.
import type { EngineRole } from '@mcr/engine';

export type RelayState = 'pending' | 'forwarding' | 'standby' | 'waiting' | 'disabled' | 'failed';

export const RELAY_STATES: readonly RelayState[] = [
  'pending',
  'forwarding',
  'standby',
  'waiting',
  'disabled',
  'failed',
];

export interface RelayStatus {
  state: RelayState;
  /** Why the relay is not forwarding: the engine's refusal (failed) or the interfaces it waits for. */
  reason?: string;
}

export interface RelayFacts {
  /** The engine's refusal, when it refused the relay. */
  failure?: string;
  /** Whether the engine runs the relay's current spec. */
  applied: boolean;
  enabled: boolean;
  role: EngineRole;
  /** Interfaces of the relay that are down or gone (host names), from the engine's counters. */
  interfacesDown: readonly string[];
}

/**
 * A refusal outranks everything; a disabled relay is disabled whatever its interfaces do; a relay
 * whose interface is down or gone is `waiting` (the engine resumes it by itself when it is back).
 */
export function relayStatus(facts: RelayFacts): RelayStatus {
  if (facts.failure !== undefined) return { state: 'failed', reason: facts.failure };
  if (!facts.applied) return { state: 'pending' };
  if (!facts.enabled) return { state: 'disabled' };
  if (facts.interfacesDown.length > 0) {
    const noun = facts.interfacesDown.length === 1 ? 'interface' : 'interfaces';
    const names = facts.interfacesDown.join(', ');
    return { state: 'waiting', reason: `waiting for ${noun} ${names} (down or gone); resumes by itself when back` };
  }
  return { state: facts.role === 'active' ? 'forwarding' : 'standby' };
}
