// Injection tokens for everything mcrd reaches through an interface (config, engine, store,
// etcd client, host), so tests swap each one for a fake.
export const MCRD_CONFIG = Symbol('MCRD_CONFIG');
export const RELAY_ENGINE = Symbol('RELAY_ENGINE');
export const RELAY_STORE = Symbol('RELAY_STORE');
/** The process's one etcd client (null with a file store), shared by the relay store and leadership. */
export const ETCD_CLIENT = Symbol('ETCD_CLIENT');
export const HOST_INTERFACES = Symbol('HOST_INTERFACES');
export const INTERFACE_MAP = Symbol('INTERFACE_MAP');
/** What diagnostics read about the host (routes, neighbours, rp_filter): HostFacts. */
export const HOST_FACTS = Symbol('HOST_FACTS');
/** Wall-clock milliseconds, () => number: injected where a unit test must not wait. */
export const WALL_CLOCK = Symbol('WALL_CLOCK');
