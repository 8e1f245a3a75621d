// The IGMP/MLD querier's options and state, as Engine.startQuerier takes them and
// Engine.querier() returns them. Times are milliseconds from the moment of the snapshot.

export interface QuerierOptions {
  /** Interfaces to query on (both IGMP and MLD on each); a missing one is used once it appears. */
  interfaces: string[];
  /** General query interval in seconds (the contract's querier.intervalS: 1..3600, default 125). */
  intervalS?: number;
}

/** The RFC timers derived from the query interval. */
export interface QuerierTimers {
  queryIntervalMs: number;
  queryResponseIntervalMs: number;
  robustness: number;
  groupMembershipIntervalMs: number;
  otherQuerierPresentIntervalMs: number;
  lastMemberQueryTimeMs: number;
}

export interface MembershipSource {
  source: string;
  expiresInMs: number;
}

/** One group that hosts on the interface reported. */
export interface MembershipGroup {
  group: string;
  /** IGMPv3/MLDv2 filter mode: exclude = every source but `excludedSources`. */
  mode: 'include' | 'exclude';
  /** When the group goes unless a member reports again. */
  expiresInMs: number;
  /** The oldest protocol version a member used within the membership interval. */
  compatibilityVersion: number;
  lastReporter: string;
  sources: MembershipSource[];
  excludedSources: string[];
}

export type QuerierState = 'querier' | 'non-querier' | 'standby' | 'no-address';

/** The querier of one interface and protocol. */
export interface QuerierInterface {
  interface: string;
  protocol: 'igmp' | 'mld';
  /** false while the interface is missing. */
  up: boolean;
  state: QuerierState;
  /** Version of the queries sent (lowered while an older querier is present). */
  version: number;
  /** Source address of the queries: the interface's IPv4 address or IPv6 link-local one. */
  address: string | null;
  /** The querier with a lower address this node stood down for. */
  otherQuerier: string | null;
  otherQuerierExpiresInMs: number | null;
  nextQueryInMs: number | null;
  generalQueriesSent: number;
  groupQueriesSent: number;
  reportsReceived: number;
  queriesReceived: number;
  groups: MembershipGroup[];
}

export interface QuerierSnapshot {
  /** Whether this node may query (the HA active node, or a single node). */
  active: boolean;
  timers: QuerierTimers;
  interfaces: QuerierInterface[];
}
