// The cluster as this node sees it: members, roles, leader, maintenance, live inputs, the leadership
// changes seen while the page is open, and the switchover and maintenance actions.
import { setMaintenance, switchover } from '../api/actions';
import type { ClusterMember, ClusterView as Cluster } from '../api/types';
import { ConfirmButton, type Outcome } from '../components/confirm-button';
import { age } from '../state/format';
import type { LeaderChange } from '../state/leader-log';

export interface ClusterViewProps {
  cluster: Cluster;
  leaderChanges: LeaderChange[];
  onDone: (outcome: Outcome) => void;
}

export function ClusterView({ cluster, leaderChanges, onDone }: ClusterViewProps) {
  const self = cluster.members.find((m) => m.nodeId === cluster.nodeId);
  return (
    <section aria-labelledby="cluster-title">
      <h2 id="cluster-title">Cluster</h2>
      <dl class="totals">
        <div>
          <dt>This node</dt>
          <dd>{cluster.nodeId}</dd>
        </div>
        <div>
          <dt>Role</dt>
          <dd>
            <RoleBadge role={cluster.role} />
          </dd>
        </div>
        <div>
          <dt>Leader</dt>
          <dd>{cluster.leader ?? 'none'}</dd>
        </div>
        <div>
          <dt>Members</dt>
          <dd>{cluster.members.length === 0 ? 'single node (no etcd)' : cluster.members.length}</dd>
        </div>
      </dl>
      {cluster.members.length === 0 ? null : <MembersTable cluster={cluster} onDone={onDone} />}
      {self === undefined ? null : (
        <p>
          <ConfirmButton
            label={self.maintenance ? 'End maintenance' : 'Start maintenance'}
            question={
              self.maintenance
                ? `End maintenance of ${self.nodeId}? It campaigns for leadership again.`
                : `Put ${self.nodeId} in maintenance? It stops campaigning; if active it hands over to a standby first.`
            }
            confirmLabel={self.maintenance ? 'End maintenance' : 'Start maintenance'}
            danger={!self.maintenance}
            action={() => setMaintenance(!self.maintenance)}
            onDone={onDone}
          />
        </p>
      )}
      <section aria-labelledby="changes-title">
        <h3 id="changes-title">Leadership changes seen by this page</h3>
        {leaderChanges.length === 0 ? (
          <p class="muted">
            None since the page opened. (The API reports the leader now, not a failover history or its reasons.)
          </p>
        ) : (
          <ol class="changes">
            {leaderChanges.map((c) => (
              <li>
                {new Date(c.atMs).toLocaleTimeString()}: {c.from ?? 'none'} → {c.to ?? 'none'}
              </li>
            ))}
          </ol>
        )}
      </section>
    </section>
  );
}

function MembersTable({ cluster, onDone }: { cluster: Cluster; onDone: (outcome: Outcome) => void }) {
  return (
    <table class="members">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Role</th>
          <th scope="col">Maintenance</th>
          <th scope="col" title="Relays whose input receives on the node; the active hands over to a node with more">
            Live inputs
          </th>
          <th scope="col">Last seen</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {cluster.members.map((m) => (
          <tr>
            <th scope="row">
              {m.nodeId}
              {m.nodeId === cluster.nodeId ? ' (this node)' : ''}
            </th>
            <td>
              <RoleBadge role={m.role} />
            </td>
            <td data-field="maintenance">{m.maintenance ? 'yes' : 'no'}</td>
            <td data-field="live-inputs">{m.liveInputs ?? '—'}</td>
            <td>{age(m.lastSeen, Date.now())}</td>
            <td>
              <SwitchoverButton member={m} onDone={onDone} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SwitchoverButton({ member, onDone }: { member: ClusterMember; onDone: (outcome: Outcome) => void }) {
  if (member.role === 'active' || member.maintenance) return null;
  return (
    <ConfirmButton
      label={`Switch over to ${member.nodeId}`}
      question={`Switch over to ${member.nodeId}? The active node stops forwarding, then ${member.nodeId} takes over within the lease time.`}
      confirmLabel="Switch over"
      danger
      action={() => switchover(member.nodeId)}
      onDone={onDone}
    />
  );
}

function RoleBadge({ role }: { role: 'active' | 'standby' }) {
  return (
    <span class={`badge badge-${role === 'active' ? 'forwarding' : 'standby'}`}>
      <span aria-hidden="true">{role === 'active' ? '● ' : '◐ '}</span>
      {role}
    </span>
  );
}
