// What every relay under test looks like to the scenarios: start it with a set of routes in the
// relay namespace, ask which processes to charge CPU and memory to, stop it.
import type { EngineRelaySpec } from '@mcr/engine';
import type { Requirement } from '../availability';
import { log } from '../budget';
import { sleep } from '../proc';

export type RelayKind = 'kernel' | 'socat' | 'node-dgram' | 'mcr-core' | 'mcr-engine' | 'mcr-engine-ebpf' | 'mcrd';

export interface Endpoint {
  group: string;
  port: number;
}

type Redundancy = NonNullable<EngineRelaySpec['redundancy']>;

/** A second ingress on in0 and how MCR combines it with the first (docs/redundancy.md). */
export interface RouteRedundancy {
  input: Endpoint;
  mode: Redundancy['mode'];
  key: NonNullable<Redundancy['key']>;
  windowMs: number;
}

/** One relay in the operator's sense: an ingress on in0 and its outputs on out0. */
export interface Route {
  name: string;
  input: Endpoint;
  outputs: Endpoint[];
  /** MCR's engine only (the protection scenario): a B leg to merge or fail over to. */
  redundancy?: RouteRedundancy;
  /** MCR's engine only: its stream analysis; absent = the engine's default (auto). */
  analyze?: NonNullable<EngineRelaySpec['analyze']>;
}

export interface RunningRelay {
  /** Processes whose run time and memory count as the relay's; empty for the kernel path. */
  pids(): number[];
  stop(): Promise<void>;
}

export interface RelayUnderTest {
  kind: RelayKind;
  /** How the report names it. */
  label: string;
  /** False when datagrams leave on the input group (the kernel cannot rewrite it). */
  rewritesGroup: boolean;
  /** Outputs one route can have (the kernel forwards once per interface). */
  maxOutputs: number;
  start(routes: Route[], workDir: string): Promise<RunningRelay>;
  /** What the host must have to run it (MCR's socket relays need nothing beyond UDP sockets). */
  requires?: Requirement;
  /** Seconds to wait after start() before the first window, for start-up work that goes on after ready. */
  settleS?: number;
}

/** Waits out the relay's start-up work (its settleS) so that windows measure its steady state. */
export async function settle(relay: RelayUnderTest, enabled: boolean): Promise<void> {
  if (!enabled || !relay.settleS) return;
  log(`  ${relay.kind}: waiting ${relay.settleS} s for its start-up work to finish`);
  await sleep(relay.settleS * 1000);
}

/** Where the datagrams of output `index` of a route arrive in the sink namespace. */
export function deliveredEndpoint(relay: RelayUnderTest, route: Route, index = 0): Endpoint {
  return relay.rewritesGroup ? route.outputs[index] : route.input;
}

/** The ingress ports of the routes, as the relay namespace's /proc/net/udp shows them. */
export function ingressPorts(routes: Route[]): Set<number> {
  return new Set(routes.map((route) => route.input.port));
}
