// Which datapath the engines of the e2e suites run on, decided here and nowhere else.
// MCR_E2E_DATAPATH=ebpf starts every engine the suites start (RemoteEngine, every mcrd) with the
// eBPF datapath, strict (`ebpf`, not `auto`): an engine that cannot load the program fails to start,
// so the eBPF pass can never quietly run on sockets. Unset or `socket`: the engines' default.
//
// Strict covers the engine, not each relay: a relay the program cannot forward runs on sockets with
// a reason. checkRelayDatapath() fails a suite the moment it reads the stats of a relay that runs on
// sockets for any reason other than one the relay itself or its interfaces explain, and the
// suite-wide check (e2e-datapath-setup.ts) fails a suite that never saw a relay on eBPF at all.
import type { EngineOptions } from '@mcr/engine';

export type E2eDatapath = 'socket' | 'ebpf';

function datapathFromEnv(value: string | undefined): E2eDatapath {
  if (value === undefined || value === '' || value === 'socket') return 'socket';
  if (value === 'ebpf') return 'ebpf';
  throw new Error(`MCR_E2E_DATAPATH: expected socket or ebpf, got '${value}'`);
}

export const E2E_DATAPATH: E2eDatapath = datapathFromEnv(process.env.MCR_E2E_DATAPATH);

/** True in the eBPF pass: for the few assertions whose semantics legitimately differ. */
export const onEbpf = (): boolean => E2E_DATAPATH === 'ebpf';

/** `options` with the pass's datapath, unless the suite chose one itself. */
export function withE2eDatapath(options: EngineOptions): EngineOptions {
  return onEbpf() && options.datapath === undefined ? { ...options, datapath: 'ebpf' } : options;
}

/** mcrd's environment for the pass's datapath (a suite's own MCR_ENGINE_DATAPATH comes after it). */
export function e2eDatapathEnv(): Record<string, string> {
  return onEbpf() ? { MCR_ENGINE_DATAPATH: 'ebpf' } : {};
}

// Why a relay may run on sockets in the eBPF pass: the relay needs what only the socket path does
// or lies beyond the program's capacity (docs/ebpf-datapath.md, "What stays on sockets"), another
// node owns it (relay placement: only owned relays get a rule), or one of its interfaces is down or
// gone (the rule is withdrawn until it returns: the suites that take interfaces away). Anything else
// (no reason at all, an attach refusal, an interface without an address, eBPF unavailable) means
// the pass is not testing what it claims to.
const LEGITIMATE_SOCKET_REASONS = [
  /translation runs on the socket path$/,
  /unicast destinations need the neighbour's MAC/,
  /^outputs: more than \d+ outputs/,
  /^enabled: a disabled relay/,
  /^redundancy: /,
  /^analyze: /,
  /^input\.interface: rp_filter is on and IPv4 forwarding is off on '[^']+'/,
  /^the eBPF datapath holds \d+ relays/,
  /\.onDemand: /,
  /^owner: another node owns the relay/,
  /interface '[^']+' (is down|does not exist)$/,
];

/** The stats fields the check reads: the engine's RelayCounters and mcrd's relay stats both have them. */
export interface RelayDatapathView {
  id?: string;
  name?: string;
  datapath?: string;
  datapathReason?: string;
}

// Loopback is not Ethernet: a relay on lo can run on sockets only, whatever the pass. It proves
// nothing about either datapath, so the suite-wide tally leaves it out.
const LOOPBACK_ONLY = /interface 'lo' is not Ethernet$/;

const seen = { ebpf: new Set<string>(), socket: new Set<string>() };

/** The relays this suite has seen on each datapath (by name and id), for the suite-wide check. */
export function relaysSeenOnDatapath(): { ebpf: number; socket: number } {
  return { ebpf: seen.ebpf.size, socket: seen.socket.size };
}

/**
 * In the eBPF pass, throws when `stats` shows a relay on sockets without a legitimate reason;
 * records which datapath ran it either way. A no-op in the socket pass.
 */
export function checkRelayDatapath(stats: RelayDatapathView, where: string): void {
  if (!onEbpf() || stats.datapath === undefined) return;
  const key = `${stats.name ?? ''}#${stats.id ?? ''}`; // two engines may hand out the same id
  if (stats.datapath === 'ebpf') {
    seen.ebpf.add(key);
    return;
  }
  const reason = stats.datapathReason ?? '';
  if (LOOPBACK_ONLY.test(reason)) return;
  if (!LEGITIMATE_SOCKET_REASONS.some((pattern) => pattern.test(reason))) {
    throw new Error(
      `MCR_E2E_DATAPATH=ebpf: relay ${stats.name ?? key} (${where}) runs on ${stats.datapath}` +
        (reason === '' ? ' with no reason' : `: ${reason}`),
    );
  }
  seen.socket.add(key);
}

/**
 * The suite-wide check, after a suite in the eBPF pass: a suite that saw relays but none of them on
 * eBPF tested the socket path under the eBPF name.
 */
export function checkSuiteSawEbpf(suite: string): void {
  if (!onEbpf()) return;
  const { ebpf, socket } = relaysSeenOnDatapath();
  process.stdout.write(
    `${suite}: eBPF pass, relays seen on ebpf: ${ebpf}, on sockets (with a legitimate reason): ${socket}\n`,
  );
  if (socket > 0 && ebpf === 0)
    throw new Error(`MCR_E2E_DATAPATH=ebpf: ${suite} saw ${socket} relays, none of them on the eBPF datapath`);
}
