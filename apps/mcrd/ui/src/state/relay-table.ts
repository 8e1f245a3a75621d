// Rows of the relays table: stats joined with each relay's definition, then filtered by name,
// state and interface and sorted by the column the operator picked.
import type { Relay, RelayStats } from '../api/types';

export interface RelayRow {
  stats: RelayStats;
  /** Absent for a moment when a relay was created between the two requests. */
  relay?: Relay;
  interfaces: string[];
  packetsOutPerSecond: number;
  bitsOutPerSecond: number;
  drops: number;
}

export type SortKey = 'name' | 'state' | 'packetsInPerSecond' | 'bitsInPerSecond' | 'packetsOutPerSecond' | 'drops';

export interface TableView {
  nameContains: string;
  /** '' = every state. */
  state: string;
  /** '' = every interface. */
  interface: string;
  sortBy: SortKey;
  descending: boolean;
}

export const DEFAULT_VIEW: TableView = {
  nameContains: '',
  state: '',
  interface: '',
  sortBy: 'name',
  descending: false,
};

export function relayRows(stats: RelayStats[], relays: Relay[]): RelayRow[] {
  const byId = new Map(relays.map((relay) => [relay.id, relay]));
  return stats.map((s) => {
    const relay = byId.get(s.id);
    const interfaces =
      relay === undefined
        ? s.outputs.map((o) => o.interface)
        : [relay.input.interface, ...relay.outputs.map((o) => o.interface)];
    return {
      stats: s,
      relay,
      interfaces: [...new Set(interfaces)],
      packetsOutPerSecond: s.outputs.reduce((total, o) => total + o.packetsPerSecond, 0),
      bitsOutPerSecond: s.outputs.reduce((total, o) => total + o.bitsPerSecond, 0),
      drops: totalDrops(s),
    };
  });
}

/** Drops that lose traffic; datagrams a standby or disabled relay drains on purpose are not among them. */
export function totalDrops(stats: RelayStats): number {
  const d = stats.drops;
  return d.rxqOverflow + d.truncated + d.ttlExpired + d.sendErrors + d.heldByFence;
}

export function applyView(rows: RelayRow[], view: TableView): RelayRow[] {
  const needle = view.nameContains.trim().toLowerCase();
  const shown = rows.filter(
    (row) =>
      (needle === '' || row.stats.name.toLowerCase().includes(needle)) &&
      (view.state === '' || row.stats.state === view.state) &&
      (view.interface === '' || row.interfaces.includes(view.interface)),
  );
  const direction = view.descending ? -1 : 1;
  return shown.sort(
    (a, b) =>
      direction * compare(sortValue(a, view.sortBy), sortValue(b, view.sortBy)) ||
      a.stats.name.localeCompare(b.stats.name),
  );
}

export function interfacesOf(rows: RelayRow[]): string[] {
  return [...new Set(rows.flatMap((row) => row.interfaces))].sort();
}

function sortValue(row: RelayRow, key: SortKey): string | number {
  switch (key) {
    case 'name':
      return row.stats.name;
    case 'state':
      return row.stats.state;
    case 'packetsInPerSecond':
      return row.stats.packetsInPerSecond;
    case 'bitsInPerSecond':
      return row.stats.bitsInPerSecond;
    case 'packetsOutPerSecond':
      return row.packetsOutPerSecond;
    case 'drops':
      return row.drops;
  }
}

function compare(a: string | number, b: string | number): number {
  return typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b));
}
