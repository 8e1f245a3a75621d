// Which reference relays this host can run, decided before the benchmark starts: a kernel built
// without multicast routing (CONFIG_IP_MROUTE off, common on cloud and Firecracker kernels) cannot
// forward multicast at all, and a reference whose binary is missing cannot run either. MCR's socket
// relays need nothing beyond UDP sockets, so they are never left out; its eBPF datapath needs a
// build with clang and a kernel that loads the program, and is left out with the engine's reason.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { gunzipSync } from 'node:zlib';

/** What the detection reads from the host; a fake in the unit tests. */
export interface HostProbe {
  commandExists(command: string): boolean;
  fileExists(file: string): boolean;
  /** The kernel's build configuration (/proc/config.gz or /boot/config-<release>), or null if neither is readable. */
  kernelConfig(): string | null;
  /** Why MCR's engine cannot load its eBPF datapath here (the engine's own words), or null when it can. */
  ebpfDatapathProblem(): string | null;
}

/** The kernel's multicast forwarding, as far as this host can tell. */
export interface MulticastRouting {
  available: boolean;
  /** One line for the log and the report's conditions. */
  summary: string;
}

/** Exists in every network namespace exactly when the kernel was built with CONFIG_IP_MROUTE. */
export const IPV4_MROUTE_CACHE = '/proc/net/ip_mr_cache';

function configValue(config: string | null, option: string): 'y' | 'm' | 'off' | 'unknown' {
  if (config === null) return 'unknown';
  if (new RegExp(`^# ${option} is not set$`, 'm').test(config)) return 'off';
  const match = new RegExp(`^${option}=(y|m)$`, 'm').exec(config);
  return match ? (match[1] as 'y' | 'm') : 'off';
}

export function detectMulticastRouting(probe: HostProbe): MulticastRouting {
  const config = probe.kernelConfig();
  const ipv4 = configValue(config, 'CONFIG_IP_MROUTE');
  const ipv6 = configValue(config, 'CONFIG_IPV6_MROUTE');
  const v6 = ipv6 === 'unknown' ? '' : `; CONFIG_IPV6_MROUTE is ${ipv6 === 'off' ? 'off' : 'on'}`;
  if (probe.fileExists(IPV4_MROUTE_CACHE)) {
    return { available: true, summary: `kernel multicast routing: available (${IPV4_MROUTE_CACHE} exists${v6})` };
  }
  const why =
    ipv4 === 'off'
      ? 'CONFIG_IP_MROUTE is off'
      : ipv4 === 'unknown'
        ? `no ${IPV4_MROUTE_CACHE}; the kernel configuration is not readable, so CONFIG_IP_MROUTE is most likely off`
        : `CONFIG_IP_MROUTE=${ipv4} but no ${IPV4_MROUTE_CACHE}`;
  return { available: false, summary: `kernel multicast routing: not available on this kernel (${why}${v6})` };
}

/** Why a reference relay cannot run here, or null when it can. */
export interface Requirement {
  command?: string;
  debianPackage?: string;
  multicastRouting?: boolean;
  /** The engine's eBPF datapath: a build with clang and libbpf, libbpf.so.1, a kernel that loads it. */
  ebpfDatapath?: boolean;
}

export function unavailableReason(
  requirement: Requirement,
  probe: HostProbe,
  routing = detectMulticastRouting(probe),
): string | null {
  if (requirement.multicastRouting && !routing.available) return routing.summary;
  if (requirement.ebpfDatapath) {
    const problem = probe.ebpfDatapathProblem();
    if (problem !== null) return problem;
  }
  if (requirement.command && !probe.commandExists(requirement.command)) {
    const install = requirement.debianPackage ? ` (apt-get install ${requirement.debianPackage})` : '';
    return `${requirement.command} is not installed${install}`;
  }
  return null;
}

function readKernelConfig(): string | null {
  try {
    return gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    try {
      return readFileSync(`/boot/config-${os.release()}`, 'utf8');
    } catch {
      return null;
    }
  }
}

/**
 * Opens an engine with `datapath: 'ebpf'` in a child process (it loads the program into the
 * kernel, which needs root) and closes it: the constructor's refusal is the reason.
 */
function probeEbpfDatapath(): string | null {
  const script = `const { Engine } = require(process.argv[1]); new Engine({ datapath: 'ebpf' }).close();`;
  try {
    execFileSync(process.execPath, ['-e', script, require.resolve('@mcr/engine')], {
      stdio: ['ignore', 'ignore', 'pipe'],
      timeout: 30000,
    });
    return null;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    const reason = /is unavailable: (.*)$/m.exec(stderr)?.[1] ?? stderr.trim().split('\n').pop();
    return `MCR's eBPF datapath is not available here: ${reason || String(error)}`;
  }
}

/** The real host. */
export const HOST: HostProbe = {
  commandExists(command: string): boolean {
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', command], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  },
  fileExists: existsSync,
  kernelConfig: readKernelConfig,
  ebpfDatapathProblem: probeEbpfDatapath,
};

/** Splits the relays into those this host can run and those it cannot, with the reason. */
export function partitionRunnable<R extends { kind: string; label: string; requires?: Requirement }>(
  relays: R[],
  probe: HostProbe,
): { runnable: R[]; unavailable: { relay: R; reason: string }[] } {
  const routing = detectMulticastRouting(probe);
  const runnable: R[] = [];
  const unavailable: { relay: R; reason: string }[] = [];
  for (const relay of relays) {
    const reason = relay.requires ? unavailableReason(relay.requires, probe, routing) : null;
    if (reason === null) runnable.push(relay);
    else unavailable.push({ relay, reason });
  }
  return { runnable, unavailable };
}
