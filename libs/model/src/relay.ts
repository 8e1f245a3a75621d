// The relay resource of the public contract (apps/mcrd/openapi.json), as TypeScript types.
// Shared by the engine binding, the stores, the service and the CLI.
import type { relaySpec } from '@mcr/contract';

/** Per-output TTL: a hop count 1..255, or "inherit" (ingress TTL - 1, dropping at <= 1). */
export type Ttl = number | typeof relaySpec.ttl.inherit;

export interface RelayInput {
  /** Interface name (or a logical name mapped by MCR_INTERFACE_MAP). */
  interface: string;
  /** Multicast group, or a local unicast address to listen on. IPv4 or IPv6. */
  group: string;
  /** UDP port, 1..65535. */
  port: number;
  /** SSM source list; absent or empty = any source. */
  sources?: string[];
}

export interface RelayOutput {
  interface: string;
  /** Destination multicast group or unicast host. */
  group: string;
  port: number;
  /** Default 1. */
  ttl?: Ttl;
  /** DiffServ code point 0..63; default 0. */
  dscp?: number;
  /** Address to send from (e.g. a VIP that follows leadership); default the interface's. */
  source?: string;
  /**
   * Send only while a member of `group` is reported on `interface` (needs mcrd's IGMP/MLD querier
   * on that interface, MCR_QUERIER_INTERFACES); default false: always send.
   */
  onDemand?: boolean;
}

export type AnalyzeMode = (typeof relaySpec.analyze.modes)[number];

export type RedundancyMode = (typeof relaySpec.redundancy.modes)[number];
export type RedundancyKey = (typeof relaySpec.redundancy.keys)[number];

/** A second (B) leg of the same feed and how the two legs are combined (docs/redundancy.md). */
export interface RelayRedundancy {
  /** The B leg: any interface, group, port and sources; never equal to `input`. */
  input: RelayInput;
  /** merge: first copy wins; failover: only the active leg forwards. */
  mode: RedundancyMode;
  /** merge: how a datagram is recognised on both legs; default "rtp". */
  key?: RedundancyKey;
  /** merge: how long a key is remembered (the largest skew merged), 1..1000; default 50. */
  windowMs?: number;
  /** failover: silence on the active leg before the other takes over; default 100. */
  lossMs?: number;
  /** failover: how long the primary must be alive again before it takes over; 0 = never (default). */
  revertMs?: number;
}

/** What a client sends: the resource without its server-assigned fields. */
export interface RelaySpec {
  name: string;
  enabled?: boolean;
  input: RelayInput;
  outputs: RelayOutput[];
  /** A second input leg of the same feed; absent = a plain relay. */
  redundancy?: RelayRedundancy;
  /**
   * MCR_PLACEMENT=relay: the node id (MCR_NODE_ID) that owns this relay whenever it is healthy, out
   * of maintenance and receives the input. Placement only: the engine never sees it.
   */
  preferredNode?: string;
  /**
   * What the input is analysed as (RTP loss and jitter, MPEG-TS continuity; docs/stream-analysis.md):
   * "auto" (default) recognises both, "rtp" or "ts" one only, "off" nothing.
   */
  analyze?: AnalyzeMode;
}

/** A stored relay: the spec with its id and revision, defaults applied. */
export interface Relay extends RelaySpec {
  id: string;
  enabled: boolean;
  revision: number;
}
