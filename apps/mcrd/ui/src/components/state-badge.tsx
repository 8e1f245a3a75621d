// A relay's state as a word plus a symbol and a colour, so it reads at a glance and without
// colour vision; the reason (why it is not forwarding) follows when the API gives one.
import type { RelayStats } from '../api/types';

const SYMBOLS: Record<RelayStats['state'], string> = {
  forwarding: '●',
  standby: '◐',
  waiting: '▲',
  pending: '…',
  disabled: '■',
  failed: '✕',
};

export function StateBadge({ state, reason }: { state: RelayStats['state']; reason?: string }) {
  return (
    <span class="state">
      <span class={`badge badge-${state}`}>
        <span aria-hidden="true">{SYMBOLS[state]} </span>
        {state}
      </span>
      {reason === undefined ? null : <span class="reason">{reason}</span>}
    </span>
  );
}
