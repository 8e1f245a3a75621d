// Turns the flags an operator types (`--in eth0:239.1.1.1:5000 --source 10.0.0.5
// --out eth1:[ff3e::2]:6000:ttl=16:dscp=46`) into a RelaySpec. Only the syntax and the contract's
// ranges (@mcr/contract) are checked here; the service applies the full relay rules and names any
// field it rejects.
import { isIP } from 'node:net';
import { relaySpec } from '@mcr/contract';
import type { AnalyzeMode, RelayInput, RelayOutput, RelaySpec, Ttl } from '@mcr/model';
import { UsageError } from './usage-error';

export interface RelayFlags {
  name?: string;
  in?: string;
  source?: string[];
  out?: string[];
  disabled?: boolean;
  preferredNode?: string;
  analyze?: string;
}

interface Endpoint {
  interface: string;
  group: string;
  port: number;
  options: Map<string, string>;
}

const OUTPUT_OPTION_KEYS = ['ttl', 'dscp', 'source', 'ondemand'];
const { port: PORT, ttl: TTL, dscp: DSCP, preferredNode: PREFERRED_NODE } = relaySpec;
const NODE_ID = new RegExp(PREFERRED_NODE.pattern);

function fail(flag: string, text: string, problem: string): never {
  throw new UsageError(`${flag} '${text}': ${problem}`, 'add');
}

/** Splits on ':' outside [brackets], so IPv6 addresses stay whole. */
function splitOutsideBrackets(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '[') depth += 1;
    if (ch === ']') depth -= 1;
    if (ch === ':' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts;
}

/** "[ff3e::1]" -> "ff3e::1"; a bare address is returned as is. */
function unbracket(text: string): string {
  return text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
}

function parseAddress(flag: string, text: string, raw: string, what: string): string {
  const address = unbracket(raw);
  if (isIP(address) === 0) fail(flag, text, `${what} '${raw}' is not an IPv4 or IPv6 address`);
  return address;
}

function parsePort(flag: string, text: string, raw: string): number {
  const port = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(port) || port < PORT.min || port > PORT.max) {
    fail(flag, text, `port must be ${PORT.rule}, got '${raw}'`);
  }
  return port;
}

/** "ff3e::1:5000:ttl=2" -> { address: "ff3e::1", rest: "5000:ttl=2" }: the bracket-less IPv6 slip. */
function unbracketedIpv6(afterInterface: string): { address: string; rest: string } | undefined {
  if (afterInterface.includes('[')) return undefined;
  const parts = afterInterface.split(':');
  for (let portIndex = parts.length - 1; portIndex >= 2; portIndex -= 1) {
    const address = parts.slice(0, portIndex).join(':');
    if (/^\d+$/.test(parts[portIndex]) && isIP(address) === 6) {
      return { address, rest: parts.slice(portIndex).join(':') };
    }
  }
  return undefined;
}

/** INTERFACE:ADDRESS:PORT[:key=value]..., with IPv6 addresses in brackets. */
function parseEndpoint(flag: string, text: string, allowedKeys: string[]): Endpoint {
  if ((text.match(/\[/g) ?? []).length !== (text.match(/]/g) ?? []).length) {
    fail(flag, text, 'unbalanced [ ] around an IPv6 address');
  }
  const parts = splitOutsideBrackets(text);
  if (parts.length < 3) fail(flag, text, 'expected INTERFACE:ADDRESS:PORT');
  const [iface, rawGroup, rawPort, ...rawOptions] = parts;
  if (iface.length === 0) fail(flag, text, 'interface name is empty');
  const unbracketedV6 = unbracketedIpv6(text.slice(iface.length + 1));
  if (unbracketedV6 !== undefined) {
    fail(flag, text, `write IPv6 addresses in brackets: ${iface}:[${unbracketedV6.address}]:${unbracketedV6.rest}`);
  }
  const group = parseAddress(flag, text, rawGroup, 'address');
  const port = parsePort(flag, text, rawPort);
  const options = new Map<string, string>();
  for (const option of rawOptions) {
    const eq = option.indexOf('=');
    const key = eq < 0 ? option : option.slice(0, eq);
    if (eq < 0 && options.get('source')?.includes(':') === false && /^[0-9a-f]*$/i.test(option)) {
      fail(flag, text, 'write an IPv6 source in brackets: source=[2001:db8::1]');
    }
    if (eq < 0 || !allowedKeys.includes(key)) {
      const allowed =
        allowedKeys.length > 0 ? `options are ${allowedKeys.map((k) => `${k}=`).join(', ')}` : 'no options are allowed';
      fail(flag, text, `unknown option '${option}' (${allowed})`);
    }
    if (options.has(key)) fail(flag, text, `option '${key}' is given twice`);
    options.set(key, option.slice(eq + 1));
  }
  return { interface: iface, group, port, options };
}

/** `raw` is the value of ttl= in `--out text`, or of `--ttl` itself (then `text` is the same). */
export function parseTtl(raw: string, flag = '--out', text = raw): Ttl {
  if (raw === TTL.inherit) return TTL.inherit;
  const ttl = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(ttl >= TTL.min && ttl <= TTL.max)) fail(flag, text, `ttl must be ${TTL.rule}, got '${raw}'`);
  return ttl;
}

export function parseDscp(raw: string, flag = '--out', text = raw): number {
  const dscp = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(dscp >= DSCP.min && dscp <= DSCP.max)) fail(flag, text, `dscp must be ${DSCP.rule}, got '${raw}'`);
  return dscp;
}

/** `--analyze auto|rtp|ts|off`: what the input is analysed as. */
export function parseAnalyze(raw: string): AnalyzeMode {
  const mode = relaySpec.analyze.modes.find((candidate) => candidate === raw);
  if (mode === undefined) throw new UsageError(`--analyze must be ${relaySpec.analyze.rule}, got '${raw}'`, 'add');
  return mode;
}

/** `--source` (or `--source-b`) values (repeatable, or comma-separated) as addresses. */
export function parseSourceList(sources: string[], flag = '--source'): string[] {
  const sourceList = sources.flatMap((s) => s.split(',')).map((s) => s.trim());
  return sourceList.map((source) => {
    const address = unbracket(source);
    if (isIP(address) === 0) throw new UsageError(`${flag} '${source}': not an IPv4 or IPv6 address`, 'add');
    return address;
  });
}

/** `--in` (or `--in-b`) plus its `--source` list (repeatable, or comma-separated). */
export function parseIngressFlag(text: string, sources: string[] = [], flag = '--in'): RelayInput {
  const endpoint = parseEndpoint(flag, text, []);
  const input: RelayInput = { interface: endpoint.interface, group: endpoint.group, port: endpoint.port };
  const sourceList = parseSourceList(sources, flag === '--in' ? '--source' : '--source-b');
  if (sourceList.length > 0) input.sources = sourceList;
  return input;
}

function parseOnDemand(text: string, raw: string): boolean {
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  return fail('--out', text, `ondemand must be on or off, got '${raw}'`);
}

/** One `--out`; options ttl=N|inherit, dscp=N, source=ADDR, ondemand=on|off. */
export function parseOutputFlag(text: string): RelayOutput {
  const endpoint = parseEndpoint('--out', text, OUTPUT_OPTION_KEYS);
  const output: RelayOutput = { interface: endpoint.interface, group: endpoint.group, port: endpoint.port };
  const ttl = endpoint.options.get('ttl');
  if (ttl !== undefined) output.ttl = parseTtl(ttl, '--out', text);
  const dscp = endpoint.options.get('dscp');
  if (dscp !== undefined) output.dscp = parseDscp(dscp, '--out', text);
  const source = endpoint.options.get('source');
  if (source !== undefined) output.source = parseAddress('--out', text, source, 'source');
  const onDemand = endpoint.options.get('ondemand');
  if (onDemand !== undefined) output.onDemand = parseOnDemand(text, onDemand);
  return output;
}

/** `--preferred-node NODE`: a node id as MCR_NODE_ID takes it. */
export function parsePreferredNode(node: string): string {
  if (!NODE_ID.test(node)) fail('--preferred-node', node, `a node id must be ${PREFERRED_NODE.rule}`);
  return node;
}

/** The whole `add` command line as a RelaySpec; names the first missing or bad flag. */
export function relaySpecFromFlags(flags: RelayFlags): RelaySpec {
  if (flags.name === undefined || flags.name.trim() === '') {
    throw new UsageError('--name is required (a unique name for the relay, e.g. --name market-feed-a)', 'add');
  }
  if (flags.in === undefined) {
    throw new UsageError('--in is required (the ingress, e.g. --in eth0:239.1.1.1:5000)', 'add');
  }
  const outs = flags.out ?? [];
  if (outs.length === 0) {
    throw new UsageError('at least one --out is required (e.g. --out eth1:239.2.2.2:6000)', 'add');
  }
  const spec: RelaySpec = {
    name: flags.name,
    input: parseIngressFlag(flags.in, flags.source ?? []),
    outputs: outs.map(parseOutputFlag),
  };
  if (flags.disabled) spec.enabled = false;
  if (flags.preferredNode !== undefined) spec.preferredNode = parsePreferredNode(flags.preferredNode);
  if (flags.analyze !== undefined) spec.analyze = parseAnalyze(flags.analyze);
  return spec;
}

/** The reverse, for display: "eth0:239.1.1.1:5000", "eth0:[ff3e::1]:5000". */
export function formatEndpoint(iface: string, group: string, port: number): string {
  return `${iface}:${group.includes(':') ? `[${group}]` : group}:${port}`;
}
