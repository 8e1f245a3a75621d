// The diagnostics checks: pure functions of one relay (host interface names), what the node does
// with it, when it last received, and a host snapshot. Each finding has a contract code (libs/
// contract `diagnostics`), its severity, what is wrong and what to change.
import { diagnostics, type DiagnosticCode, type DiagnosticSeverity } from '@mcr/contract';
import { addressFamily, canonicalAddress, isMulticast, type RelaySpec } from '@mcr/model';
import type { RelayStatus } from '../reconciler/relay-state';
import { routeViaKey, type HostQuery, type HostSnapshot } from './host-facts';

/** An armed relay that received nothing for this long is reported silent. */
export const SILENT_AFTER_MS = 10_000;

const UNREACHABLE_NEIGHBOUR_STATES = ['FAILED', 'INCOMPLETE'];

export interface Finding {
  code: DiagnosticCode;
  severity: DiagnosticSeverity;
  message: string;
  action: string;
}

export interface RelayFactsForDiagnosis {
  /** The relay with this host's interface names (MCR_INTERFACE_MAP applied). */
  spec: RelaySpec;
  status: RelayStatus;
  /** Wall-clock ms of the last received datagram; null = never (or not running). */
  lastPacketAt: number | null;
  /** Who forwards the relay on this node (engine stats); undefined = not running. */
  datapath?: 'socket' | 'ebpf';
  nowMs: number;
}

const SEVERITY = new Map<DiagnosticCode, DiagnosticSeverity>(diagnostics.map((d) => [d.code, d.severity]));

function finding(code: DiagnosticCode, message: string, action: string): Finding {
  return { code, severity: SEVERITY.get(code) as DiagnosticSeverity, message, action };
}

/** What the host snapshot must hold to diagnose these relays (host interface names). */
export function hostQueryFor(specs: readonly RelaySpec[]): HostQuery {
  const routesBack: string[] = [];
  const routesVia: { address: string; device: string }[] = [];
  const rpFilterDevices: string[] = [];
  for (const spec of specs) {
    if (spec.enabled === false) continue;
    routesBack.push(...(spec.input.sources ?? []).map(canonicalAddress));
    if (addressFamily(spec.input.group) === 4) rpFilterDevices.push(spec.input.interface);
    for (const output of spec.outputs) {
      if (!isMulticast(output.group))
        routesVia.push({ address: canonicalAddress(output.group), device: output.interface });
    }
  }
  return { routesBack, routesVia, rpFilterDevices };
}

export function diagnoseRelay(facts: RelayFactsForDiagnosis, host: HostSnapshot): Finding[] {
  const { spec, status } = facts;
  if (status.state === 'disabled') {
    return [
      finding('relay-disabled', `relay ${spec.name} is disabled`, 'enable it to check the host for it (mcrctl or PUT)'),
    ];
  }
  return [
    ...engineRefusal(status),
    ...interfaceChecks(spec, host),
    ...sourceChecks(spec, host),
    ...outputRouteChecks(spec, host),
    ...silenceChecks(facts, host),
    ...analysisChecks(facts),
  ];
}

/**
 * The eBPF program forwards without reading payloads, so `analyze auto` (the default) counts
 * nothing there; `rtp` and `ts` keep a relay on sockets (the engine's datapath reason).
 */
function analysisChecks({ spec, datapath }: RelayFactsForDiagnosis): Finding[] {
  if (datapath !== 'ebpf' || (spec.analyze ?? 'auto') !== 'auto') return [];
  return [
    finding(
      'analysis-skipped-ebpf',
      `relay ${spec.name} runs on the eBPF datapath, which forwards without reading payloads: its stream analysis (analyze auto) counts nothing`,
      "set analyze 'rtp' or 'ts' to have it analysed (that relay then runs on sockets), or 'off' to say it needs none",
    ),
  ];
}

function engineRefusal(status: RelayStatus): Finding[] {
  if (status.state !== 'failed') return [];
  return [
    finding(
      'engine-refused',
      `the engine refused the relay on this node: ${status.reason ?? 'no reason given'}`,
      'fix what the reason names (an interface or address this host lacks, a port in use); mcrd retries every 5 s and applies the relay by itself',
    ),
  ];
}

function interfaceChecks(spec: RelaySpec, host: HostSnapshot): Finding[] {
  const findings: Finding[] = [];
  const input = host.links.get(spec.input.interface);
  const name = spec.input.interface;
  if (input === undefined) {
    findings.push(
      finding(
        'input-interface-missing',
        `input interface ${name} does not exist on this host`,
        `create ${name}, or change input.interface (or MCR_INTERFACE_MAP)`,
      ),
    );
  } else if (!input.up) {
    findings.push(
      finding('input-interface-down', `input interface ${name} is down`, `bring it up: ip link set ${name} up`),
    );
  }
  for (const device of new Set(spec.outputs.map((output) => output.interface))) {
    const link = host.links.get(device);
    if (link === undefined) {
      findings.push(
        finding(
          'output-interface-missing',
          `output interface ${device} does not exist on this host`,
          `create ${device}, or change the outputs' interface (or MCR_INTERFACE_MAP)`,
        ),
      );
    } else if (!link.up) {
      findings.push(
        finding('output-interface-down', `output interface ${device} is down`, `bring it up: ip link set ${device} up`),
      );
    }
  }
  return findings;
}

function rpFilterText(device: string, value: number): string {
  return `net.ipv4.conf.{all,${device}}.rp_filter, effective ${value}`;
}

function kernelDrops(host: HostSnapshot): string {
  return host.reversePathFilterDrops === undefined
    ? ''
    : `; the kernel has dropped ${host.reversePathFilterDrops} datagrams by reverse path (IPReversePathFilter)`;
}

/** SSM sources: a route back must exist, and leave by the input interface under strict filtering. */
function sourceChecks(spec: RelaySpec, host: HostSnapshot): Finding[] {
  const device = spec.input.interface;
  const rp = host.rpFilter.get(device) ?? 0;
  const findings: Finding[] = [];
  for (const source of (spec.input.sources ?? []).map(canonicalAddress)) {
    const filtered = addressFamily(source) === 4 && rp > 0;
    const route = host.routesBack.get(source);
    if (route === undefined) {
      findings.push({
        ...finding(
          'source-unroutable',
          `SSM source ${source} has no route back on this host` +
            (filtered ? `, so reverse-path filtering (${rpFilterText(device, rp)}) drops its datagrams` : ''),
          `add a route to ${source} via ${device} (ip route add ${source} via <upstream router> dev ${device})`,
        ),
        // Without filtering the datagrams still arrive; upstream routers may not forward them.
        severity: filtered ? 'error' : 'warning',
      });
    } else if (filtered && rp === 1 && route.device !== device) {
      findings.push(
        finding(
          'rp-filter-strict',
          `strict reverse-path filtering (${rpFilterText(device, rp)}) drops datagrams from SSM source ${source}: the route back to it leaves by ${route.device}, not ${device}${kernelDrops(host)}`,
          `set net.ipv4.conf.all.rp_filter=2 and net.ipv4.conf.${device}.rp_filter=2 (loose), or route ${source} via ${device}`,
        ),
      );
    }
  }
  return findings;
}

/** Unicast outputs: a route through the output interface, and a next hop that answers. */
function outputRouteChecks(spec: RelaySpec, host: HostSnapshot): Finding[] {
  const findings: Finding[] = [];
  spec.outputs.forEach((output, index) => {
    if (isMulticast(output.group) || !host.links.has(output.interface)) return;
    const destination = canonicalAddress(output.group);
    const route = host.routesVia.get(routeViaKey(destination, output.interface));
    if (route === undefined) {
      findings.push(
        finding(
          'output-unroutable',
          `outputs[${index}]: no route to ${destination} through ${output.interface}`,
          `add a route to ${destination} via ${output.interface}, or correct outputs[${index}].group`,
        ),
      );
      return;
    }
    const nextHop = route.gateway ?? destination;
    const neighbour = host.neighbours.find((n) => n.address === nextHop && n.device === output.interface);
    const state = neighbour?.states.find((s) => UNREACHABLE_NEIGHBOUR_STATES.includes(s));
    if (state === undefined) return;
    findings.push(
      finding(
        'output-neighbour-unreachable',
        `outputs[${index}]: next hop ${nextHop} on ${output.interface} is ${state} in the neighbour table (no ARP/ND answer); the kernel drops the datagrams the relay counts as sent`,
        `check that ${nextHop} is up and on the link of ${output.interface}, or correct outputs[${index}].group`,
      ),
    );
  });
  return findings;
}

/** An armed relay that receives nothing; with reverse-path filtering and kernel drops, say so. */
function silenceChecks(facts: RelayFactsForDiagnosis, host: HostSnapshot): Finding[] {
  const { spec, status, lastPacketAt, nowMs } = facts;
  if (status.state !== 'forwarding' && status.state !== 'standby') return [];
  if (lastPacketAt !== null && nowMs - lastPacketAt < SILENT_AFTER_MS) return [];
  const since =
    lastPacketAt === null
      ? 'has received nothing since it started'
      : `has received nothing for ${Math.round((nowMs - lastPacketAt) / 1000)} s`;
  const findings = [
    finding(
      'input-silent',
      `relay ${spec.name} ${since} on ${spec.input.interface} (${spec.input.group}:${spec.input.port})`,
      'check that the sender is sending, that the group and port match, and that routers forward the group to this interface',
    ),
  ];
  const device = spec.input.interface;
  const rp = host.rpFilter.get(device) ?? 0;
  const noSources = (spec.input.sources ?? []).length === 0;
  if (noSources && rp > 0 && (host.reversePathFilterDrops ?? 0) > 0) {
    findings.push(
      finding(
        'rp-filter-drops',
        `input ${device} filters by reverse path (${rpFilterText(device, rp)})${kernelDrops(host)}; the sender may be routed back by another interface`,
        `set net.ipv4.conf.all.rp_filter=2 and net.ipv4.conf.${device}.rp_filter=2 (loose) or 0, or route the sender's network via ${device}`,
      ),
    );
  }
  return findings;
}
