// The relays table: state, rates with a sparkline of the last minutes, drops, and the
// enable/disable action, filtered and sorted by what the operator picks.
import { useState } from 'preact/hooks';
import { RELAY_STATES } from '../../../src/reconciler/relay-state';
import type { NodeStats, Relay } from '../api/types';
import type { Outcome } from '../components/confirm-button';
import { EnableToggle } from '../components/enable-toggle';
import { Sparkline } from '../components/sparkline';
import { StateBadge } from '../components/state-badge';
import { bitRate, count, packetRate } from '../state/format';
import type { RateHistory } from '../state/rate-history';
import {
  DEFAULT_VIEW,
  applyView,
  interfacesOf,
  relayRows,
  type RelayRow,
  type SortKey,
  type TableView,
} from '../state/relay-table';

export interface RelaysViewProps {
  stats: NodeStats;
  relays: Relay[];
  history: RateHistory;
  onDone: (outcome: Outcome) => void;
}

export function RelaysView({ stats, relays, history, onDone }: RelaysViewProps) {
  const [view, setView] = useState<TableView>(DEFAULT_VIEW);
  const rows = relayRows(stats.relays, relays);
  const shown = applyView(rows, view);
  const update = (change: Partial<TableView>): void => setView({ ...view, ...change });
  return (
    <section aria-labelledby="relays-title">
      <h2 id="relays-title">Relays</h2>
      <Totals stats={stats} />
      <div class="filters">
        <label>
          Name{' '}
          <input
            type="search"
            value={view.nameContains}
            onInput={(e) => update({ nameContains: e.currentTarget.value })}
          />
        </label>
        <label>
          State{' '}
          <select value={view.state} onChange={(e) => update({ state: e.currentTarget.value })}>
            <option value="">all</option>
            {RELAY_STATES.map((state) => (
              <option value={state}>{state}</option>
            ))}
          </select>
        </label>
        <label>
          Interface{' '}
          <select value={view.interface} onChange={(e) => update({ interface: e.currentTarget.value })}>
            <option value="">all</option>
            {interfacesOf(rows).map((name) => (
              <option value={name}>{name}</option>
            ))}
          </select>
        </label>
        <span class="hint">
          {shown.length} of {rows.length} relays
        </span>
      </div>
      <table class="relays">
        <thead>
          <tr>
            <SortHeader label="Name" sortKey="name" view={view} onSort={update} />
            <SortHeader label="State" sortKey="state" view={view} onSort={update} />
            <th scope="col">Interfaces</th>
            <SortHeader label="In pkt/s" sortKey="packetsInPerSecond" view={view} onSort={update} numeric />
            <SortHeader label="In bit/s" sortKey="bitsInPerSecond" view={view} onSort={update} numeric />
            <SortHeader label="Out pkt/s" sortKey="packetsOutPerSecond" view={view} onSort={update} numeric />
            <th scope="col">Last 5 min (in pkt/s)</th>
            <SortHeader label="Drops" sortKey="drops" view={view} onSort={update} numeric />
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <RelayTableRow row={row} history={history} onDone={onDone} key={row.stats.id} />
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? (
        <p class="empty">No relays on this node yet. Create one with POST /api/v1/relays or mcrctl.</p>
      ) : null}
    </section>
  );
}

function Totals({ stats }: { stats: NodeStats }) {
  const t = stats.totals;
  return (
    <dl class="totals">
      <div>
        <dt>Relays</dt>
        <dd>{t.relays}</dd>
      </div>
      <div>
        <dt>In</dt>
        <dd>
          {packetRate(t.packetsInPerSecond)} · {bitRate(t.bitsInPerSecond)}
        </dd>
      </div>
      <div>
        <dt>Out</dt>
        <dd>
          {packetRate(t.packetsOutPerSecond)} · {bitRate(t.bitsOutPerSecond)}
        </dd>
      </div>
      <div>
        <dt>Drops (total)</dt>
        <dd>{count(t.drops)}</dd>
      </div>
    </dl>
  );
}

function SortHeader({
  label,
  sortKey,
  view,
  onSort,
  numeric = false,
}: {
  label: string;
  sortKey: SortKey;
  view: TableView;
  onSort: (change: Partial<TableView>) => void;
  numeric?: boolean;
}) {
  const active = view.sortBy === sortKey;
  const sort = active ? (view.descending ? 'descending' : 'ascending') : 'none';
  return (
    <th scope="col" aria-sort={sort} class={numeric ? 'num' : ''}>
      <button
        type="button"
        class="sort"
        onClick={() => onSort({ sortBy: sortKey, descending: active ? !view.descending : numeric })}
      >
        {label}
        <span aria-hidden="true">{active ? (view.descending ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );
}

function RelayTableRow({
  row,
  history,
  onDone,
}: {
  row: RelayRow;
  history: RateHistory;
  onDone: (outcome: Outcome) => void;
}) {
  const s = row.stats;
  const series = history.series(s.id);
  return (
    <tr data-relay={s.name}>
      <th scope="row">
        <a href={`#/relays/${encodeURIComponent(s.id)}`}>{s.name}</a>
      </th>
      <td>
        <StateBadge state={s.state} reason={s.reason} />
      </td>
      <td>{row.interfaces.join(', ')}</td>
      <td class="num" data-field="packetsInPerSecond">
        {packetRate(s.packetsInPerSecond)}
      </td>
      <td class="num">{bitRate(s.bitsInPerSecond)}</td>
      <td class="num">{packetRate(row.packetsOutPerSecond)}</td>
      <td>
        <Sparkline
          times={series.times}
          values={series.packetsInPerSecond}
          label={`${s.name}: input datagrams per second, last 5 minutes`}
          width={160}
          height={28}
        />
      </td>
      <td class="num">
        <DropSummary row={row} />
      </td>
      <td>
        {row.relay === undefined ? null : (
          <EnableToggle id={s.id} name={s.name} enabled={row.relay.enabled} onDone={onDone} />
        )}
      </td>
    </tr>
  );
}

function DropSummary({ row }: { row: RelayRow }) {
  if (row.drops === 0) return <span class="muted">0</span>;
  const reasons = Object.entries(row.stats.drops).filter(
    ([reason, value]) => value > 0 && reason !== 'notForwardedStandby',
  );
  return (
    <span class="warn" title={reasons.map(([reason, value]) => `${reason}: ${value}`).join(', ')}>
      {count(row.drops)} <span class="reason">({reasons.map(([reason]) => reason).join(', ')})</span>
    </span>
  );
}
