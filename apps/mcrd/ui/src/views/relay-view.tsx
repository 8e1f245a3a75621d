// One relay: its definition and datapath, every counter, its outputs with their rates, its input
// legs when it is redundant, what the host checks found, and a chart of the last minutes.
import type { Relay, RelayStats } from '../api/types';
import type { Outcome } from '../components/confirm-button';
import { EnableToggle } from '../components/enable-toggle';
import { Sparkline } from '../components/sparkline';
import { StateBadge } from '../components/state-badge';
import { countersOf, extraFields } from '../state/counters';
import { age, bitRate, count, packetRate } from '../state/format';
import type { RateHistory } from '../state/rate-history';
import { usePolling } from '../state/use-polling';
import { DiagnosticsPanel } from './relay-diagnostics';
import { LegsTable } from './relay-legs';

const LAID_OUT_FIELDS = ['id', 'name', 'enabled', 'input', 'outputs', 'revision'];

export function RelayView({
  id,
  history,
  onDone,
}: {
  id: string;
  history: RateHistory;
  onDone: (outcome: Outcome) => void;
}) {
  const path = `/api/v1/relays/${encodeURIComponent(id)}`;
  const relay = usePolling<Relay>(path, 2000);
  const stats = usePolling<RelayStats>(`${path}/stats`, 1000);
  if (relay.data === undefined || stats.data === undefined) {
    return <p role="status">{relay.error ?? stats.error ?? 'Loading…'}</p>;
  }
  const r = relay.data;
  const s = stats.data;
  const series = history.series(id);
  const extras = extraFields(r, LAID_OUT_FIELDS);
  return (
    <section aria-labelledby="relay-title">
      <p>
        <a href="#/relays">← All relays</a>
      </p>
      <h2 id="relay-title">{r.name}</h2>
      <div class="headline">
        <StateBadge state={s.state} reason={s.reason} />
        <EnableToggle
          id={r.id}
          name={r.name}
          enabled={r.enabled}
          onDone={(outcome) => {
            onDone(outcome);
            relay.refresh();
            stats.refresh();
          }}
        />
      </div>
      <div class="panels">
        <section class="panel" aria-labelledby="rate-title">
          <h3 id="rate-title">Input rate, last 5 minutes</h3>
          <p>
            {packetRate(s.packetsInPerSecond)} · {bitRate(s.bitsInPerSecond)} (over {s.rateWindowSeconds} s)
          </p>
          <Sparkline
            times={series.times}
            values={series.packetsInPerSecond}
            label={`${r.name}: input datagrams per second, last 5 minutes`}
            width={520}
            height={180}
            axes
            formatValue={(v) => packetRate(v)}
          />
        </section>
        <section class="panel" aria-labelledby="definition-title">
          <h3 id="definition-title">Definition</h3>
          <dl class="pairs">
            <dt>id</dt>
            <dd>
              <code>{r.id}</code>
            </dd>
            <dt>enabled</dt>
            <dd>{r.enabled ? 'yes' : 'no'}</dd>
            <dt>revision</dt>
            <dd>{r.revision}</dd>
            <dt>input</dt>
            <dd>
              <code>
                {r.input.interface} {r.input.group}:{r.input.port}
              </code>
              {r.input.sources?.length ? ` from ${r.input.sources.join(', ')}` : ''}
            </dd>
            <dt>datapath</dt>
            <dd data-field="datapath">
              {s.datapath}
              {s.datapathReason === undefined ? '' : ` (${s.datapathReason})`}
            </dd>
          </dl>
          {Object.keys(extras).length === 0 ? null : (
            <pre aria-label="further fields">{JSON.stringify(extras, null, 2)}</pre>
          )}
        </section>
      </div>
      <OutputsTable relay={r} stats={s} />
      <LegsTable stats={s} />
      <DiagnosticsPanel path={path} />
      <section aria-labelledby="counters-title">
        <h3 id="counters-title">Counters</h3>
        <table class="counters">
          <tbody>
            {countersOf(s, ['outputs']).map((c) => (
              <tr>
                <th scope="row">{c.name}</th>
                <td class="num">{count(c.value)}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">lastPacketAt</th>
              <td class="num">{age(s.lastPacketAt, Date.now())}</td>
            </tr>
          </tbody>
        </table>
      </section>
    </section>
  );
}

function OutputsTable({ relay, stats }: { relay: Relay; stats: RelayStats }) {
  return (
    <section aria-labelledby="outputs-title">
      <h3 id="outputs-title">Outputs</h3>
      <table class="outputs">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Interface</th>
            <th scope="col">Destination</th>
            <th scope="col">TTL / DSCP</th>
            <th scope="col" class="num">
              pkt/s
            </th>
            <th scope="col" class="num">
              bit/s
            </th>
            <th scope="col" class="num">
              Sent
            </th>
            <th scope="col" class="num">
              Send errors
            </th>
            <th scope="col">Last sent</th>
          </tr>
        </thead>
        <tbody>
          {stats.outputs.map((o) => {
            const defined = relay.outputs[o.index];
            const errnos = Object.entries(o.sendErrorsByErrno)
              .map(([errno, n]) => `${errno} ${n}`)
              .join(', ');
            return (
              <tr>
                <td>{o.index}</td>
                <td>{o.interface}</td>
                <td>
                  <code>
                    {o.group}:{o.port}
                  </code>
                </td>
                <td>
                  {defined?.ttl ?? 1} / {defined?.dscp ?? 0}
                </td>
                <td class="num">{packetRate(o.packetsPerSecond)}</td>
                <td class="num">{bitRate(o.bitsPerSecond)}</td>
                <td class="num">{count(o.packets)}</td>
                <td class="num">
                  {o.sendErrors === 0 ? (
                    '0'
                  ) : (
                    <span class="warn">
                      {count(o.sendErrors)} ({errnos})
                    </span>
                  )}
                </td>
                <td>{age(o.lastPacketAt, Date.now())}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
