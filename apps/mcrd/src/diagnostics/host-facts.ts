// What the diagnostics need to know about the host, behind an interface so the check logic is
// tested against fake facts: links, routes back to SSM sources, routes and neighbours of unicast
// outputs, the effective rp_filter of input interfaces, and the kernel's reverse-path drop count.
// One snapshot answers every relay of a request (one read of each table, not one per relay).

/** A route the host would use: the interface it leaves by and the gateway, when not on-link. */
export interface RouteFact {
  device: string;
  gateway?: string;
}

/** One neighbour-table entry (ARP for IPv4, ND for IPv6); `states` as the kernel names them. */
export interface NeighbourFact {
  address: string;
  device: string;
  states: readonly string[];
}

export interface LinkFact {
  /** Administratively up and with carrier (operstate neither DOWN nor LOWERLAYERDOWN). */
  up: boolean;
}

/** What a snapshot must cover. Addresses in canonical spelling (@mcr/model canonicalAddress). */
export interface HostQuery {
  /** Addresses to find the route back to, whatever interface it leaves by (SSM sources). */
  routesBack: readonly string[];
  /** Destinations to route through one given interface (unicast outputs). */
  routesVia: readonly { address: string; device: string }[];
  /** Interfaces whose IPv4 reverse-path filter matters (IPv4 inputs). */
  rpFilterDevices: readonly string[];
}

export interface HostSnapshot {
  links: ReadonlyMap<string, LinkFact>;
  /** address -> the route back; absent when the host has none. */
  routesBack: ReadonlyMap<string, RouteFact>;
  /** `${address}%${device}` -> the route; absent when the host has none through that interface. */
  routesVia: ReadonlyMap<string, RouteFact>;
  neighbours: readonly NeighbourFact[];
  /** device -> effective net.ipv4.conf rp_filter: max(all, device); 0 off, 1 strict, 2 loose. */
  rpFilter: ReadonlyMap<string, number>;
  /** The kernel's TcpExt IPReversePathFilter count; undefined when unreadable. */
  reversePathFilterDrops?: number;
}

export interface HostFacts {
  snapshot(query: HostQuery): Promise<HostSnapshot>;
}

export function routeViaKey(address: string, device: string): string {
  return `${address}%${device}`;
}
