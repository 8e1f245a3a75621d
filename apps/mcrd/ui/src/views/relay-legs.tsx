// The two input legs of a redundant relay (redundancy, docs/redundancy.md): where each one
// listens, what it brings now, and how the merge or the failover used it — the numbers an
// operator reads to see which path is failing and whether the other one covered it.
import type { LegStats, RelayStats } from '../api/types';
import { bitRate, count, packetRate } from '../state/format';

export function LegsTable({ stats }: { stats: RelayStats }) {
  if (stats.legs.length === 0) return null;
  return (
    <section aria-labelledby="legs-title">
      <h3 id="legs-title">Input legs</h3>
      <table class="legs">
        <thead>
          <tr>
            <th scope="col">Leg</th>
            <th scope="col">Interface</th>
            <th scope="col">Group</th>
            <th scope="col" class="num">
              pkt/s
            </th>
            <th scope="col" class="num">
              bit/s
            </th>
            <th scope="col">Silent for</th>
            <th scope="col" class="num">
              First copies
            </th>
            <th scope="col" class="num">
              Only this leg
            </th>
            <th scope="col" class="num">
              Duplicates
            </th>
            <th scope="col" class="num">
              Too late
            </th>
            <th scope="col" class="num">
              RTP lost
            </th>
            <th scope="col" class="num">
              TS CC errors
            </th>
          </tr>
        </thead>
        <tbody>
          {stats.legs.map((leg) => (
            <LegRow leg={leg} active={stats.activeLeg === leg.leg} />
          ))}
        </tbody>
      </table>
    </section>
  );
}

function LegRow({ leg, active }: { leg: LegStats; active: boolean }) {
  return (
    <tr data-leg={leg.leg}>
      <th scope="row">
        {leg.leg}
        {active ? ' (active)' : ''}
      </th>
      <td>{leg.interface}</td>
      <td>
        <code>
          {leg.group}:{leg.port}
        </code>
      </td>
      <td class="num">{packetRate(leg.packetsPerSecond)}</td>
      <td class="num">{bitRate(leg.bitsPerSecond)}</td>
      <td>{silence(leg.silentForMs)}</td>
      <td class="num">{count(leg.firstCopies)}</td>
      <td class="num">{count(leg.onlyThisLeg)}</td>
      <td class="num">{count(leg.duplicates)}</td>
      <td class="num">{count(leg.tooLate)}</td>
      <td class="num">{flagged(leg.legRtpLost)}</td>
      <td class="num">{flagged(leg.legTsContinuityErrors)}</td>
    </tr>
  );
}

/** "never received", "12 ms", "3.4 s": how long the leg has been quiet. */
function silence(silentForMs: number | null): string {
  if (silentForMs === null) return 'never received';
  return silentForMs < 1000 ? `${Math.round(silentForMs)} ms` : `${(silentForMs / 1000).toFixed(1)} s`;
}

/** A loss or error count, highlighted when it is not zero. */
function flagged(value: number) {
  return value === 0 ? '0' : <span class="warn">{count(value)}</span>;
}
