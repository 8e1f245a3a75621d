// The dashboard's frame: polls the node's stats, relays and cluster view, keeps the rate and
// leadership history, and shows the view the URL names with the outcome of the last action.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ClusterView as Cluster, NodeStats, Relay } from './api/types';
import type { Outcome } from './components/confirm-button';
import { TokenForm } from './components/token-form';
import { noteLeader, type LeaderChange } from './state/leader-log';
import { RateHistory } from './state/rate-history';
import { parseRoute, type Route } from './state/route';
import { usePolling } from './state/use-polling';
import { ClusterView } from './views/cluster-view';
import { RelayView } from './views/relay-view';
import { RelaysView } from './views/relays-view';

const STATS_POLL_MS = 1000;
const LIST_POLL_MS = 2000;

export function App() {
  const route = useHashRoute();
  const history = useRef(new RateHistory()).current;
  const [leaderChanges, setLeaderChanges] = useState<LeaderChange[]>([]);
  const lastCluster = useRef<Cluster>();
  const [outcome, setOutcome] = useState<Outcome>();

  const stats = usePolling<NodeStats>('/api/v1/stats', STATS_POLL_MS, (data) => history.record(Date.now(), data));
  const relays = usePolling<Relay[]>('/api/v1/relays', LIST_POLL_MS);
  const cluster = usePolling<Cluster>('/api/v1/cluster', LIST_POLL_MS, (data) => {
    setLeaderChanges((log) => noteLeader(log, lastCluster.current, data, Date.now()));
    lastCluster.current = data;
  });
  const refreshAll = (): void => [stats, relays, cluster].forEach((polled) => polled.refresh());
  const onDone = (result: Outcome): void => {
    setOutcome(result);
    refreshAll();
  };
  const error = stats.error ?? relays.error ?? cluster.error;

  return (
    <>
      <header>
        <h1>
          MCR <span class="muted">relay dashboard</span>
        </h1>
        {cluster.data === undefined ? null : (
          <span class="node">
            node <strong>{cluster.data.nodeId}</strong> · {cluster.data.role}
          </span>
        )}
        <nav aria-label="Views">
          <a href="#/relays" aria-current={route.view !== 'cluster' ? 'page' : undefined}>
            Relays
          </a>
          <a href="#/cluster" aria-current={route.view === 'cluster' ? 'page' : undefined}>
            Cluster
          </a>
        </nav>
        <TokenForm onChange={refreshAll} />
      </header>
      <div role="status" aria-live="polite" class="status">
        {outcome === undefined ? null : <p class={outcome.ok ? 'ok' : 'error'}>{outcome.message}</p>}
        {error === undefined ? null : <p class="error">Cannot read the API: {error}</p>}
      </div>
      <main>
        {renderView(route, {
          stats: stats.data,
          relays: relays.data,
          cluster: cluster.data,
          history,
          leaderChanges,
          onDone,
        })}
      </main>
    </>
  );
}

interface ViewData {
  stats?: NodeStats;
  relays?: Relay[];
  cluster?: Cluster;
  history: RateHistory;
  leaderChanges: LeaderChange[];
  onDone: (outcome: Outcome) => void;
}

function renderView(route: Route, data: ViewData) {
  if (route.view === 'relay') return <RelayView id={route.id} history={data.history} onDone={data.onDone} />;
  if (route.view === 'cluster') {
    return data.cluster === undefined ? (
      <p>Loading…</p>
    ) : (
      <ClusterView cluster={data.cluster} leaderChanges={data.leaderChanges} onDone={data.onDone} />
    );
  }
  if (data.stats === undefined || data.relays === undefined) return <p>Loading…</p>;
  return <RelaysView stats={data.stats} relays={data.relays} history={data.history} onDone={data.onDone} />;
}

function useHashRoute(): Route {
  const [route, setRoute] = useState(parseRoute(location.hash));
  useEffect(() => {
    const follow = (): void => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return route;
}
