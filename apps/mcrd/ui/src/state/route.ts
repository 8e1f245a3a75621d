// The dashboard's three views, addressed by the URL fragment so links and Back work without
// any server routes: #/relays, #/relays/<id>, #/cluster.
export type Route = { view: 'relays' } | { view: 'relay'; id: string } | { view: 'cluster' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  if (parts[0] === 'cluster') return { view: 'cluster' };
  if (parts[0] === 'relays' && parts[1] !== undefined) return { view: 'relay', id: decodeURIComponent(parts[1]) };
  return { view: 'relays' };
}
