// The relays each scenario configures: addresses chosen inside 239.78/16 (ingress) and
// 239.79/16 (outputs), carried only on the benchmark's own veth legs.
import type { Endpoint, Route } from './relays/relay';

export const INGRESS: Endpoint = { group: '239.78.1.1', port: 5000 };

/** One ingress fanned out to `outputs` groups on the output leg. */
export function fanoutRoute(outputs: number): Route {
  const list: Endpoint[] = [];
  for (let i = 0; i < outputs; i += 1)
    list.push({ group: `239.79.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`, port: 6000 });
  return { name: `bench-fanout-${outputs}`, input: INGRESS, outputs: list };
}

/**
 * `count` independent relays: each ingress its own group and port (so wildcard-bound relays such
 * as socat never see each other's streams), all outputs to one group the sink leg counts.
 */
export function manyRoutes(count: number): Route[] {
  const routes: Route[] = [];
  for (let i = 0; i < count; i += 1) {
    routes.push({
      name: `bench-many-${i}`,
      input: { group: `239.78.${10 + Math.floor(i / 250)}.${1 + (i % 250)}`, port: 20000 + i },
      outputs: [{ group: '239.79.200.1', port: 6000 }],
    });
  }
  return routes;
}
