// What the node is doing with each stored relay, as shown in stats and the mcr_relays gauge.
export type RelayState = 'pending' | 'forwarding' | 'standby' | 'disabled' | 'failed';

export const RELAY_STATES: readonly RelayState[] = ['pending', 'forwarding', 'standby', 'disabled', 'failed'];

export interface RelayStatus {
  state: RelayState;
  /** Why the engine refused the relay (state `failed`), e.g. an interface missing on this host. */
  reason?: string;
}
