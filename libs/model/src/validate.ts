// Semantic rules of a relay spec (the relay resource of apps/mcrd/openapi.json). Returns every
// problem at once, each message naming the field path and the bad value, ready for a 400 body.
import { relaySpec } from '@mcr/contract';
import {
  addressFamily,
  type AddressFamily,
  canonicalAddress,
  isBroadcast,
  isMulticast,
  isUnicast,
  isUnspecified,
} from './address';
import { describeEndpoint, show } from './describe';
import { INTERFACE_NAME_RULE, isInterfaceName } from './interface-name';

// The limits and rule texts are the contract's (@mcr/contract relaySpec); the core holds them too.
export const NAME_MAX_CHARS = relaySpec.name.maxChars;
export const OUTPUTS_MAX = relaySpec.outputs.max;
export const TTL_MAX = relaySpec.ttl.max;
export const DSCP_MAX = relaySpec.dscp.max;
export const PORT_MAX = relaySpec.port.max;

const SPEC_FIELDS = ['name', 'enabled', 'input', 'outputs', 'redundancy', 'preferredNode', 'analyze'];
/** Read-only fields a PUT body may echo back from a GET (id must match, revision = If-Match: apps/mcrd/README.md "Writes"). */
const SERVER_FIELDS = ['id', 'revision'];
const INPUT_FIELDS = ['interface', 'group', 'port', 'sources'];
const OUTPUT_FIELDS = ['interface', 'group', 'port', 'ttl', 'dscp', 'source', 'onDemand'];
const REDUNDANCY_FIELDS = ['input', 'mode', 'key', 'windowMs', 'lossMs', 'revertMs'];

export interface ValidateOptions {
  /** Accept `id` (string) and `revision` (integer >= 0) next to the spec; the caller checks them. */
  allowServerFields?: boolean;
  /**
   * The relay was accepted earlier and is being read back from a store: rules added since for new
   * names only (no edge whitespace, no invisible characters) do not apply, so an upgrade never
   * refuses a store that an older mcrd wrote. Every write still checks them.
   */
  alreadyStored?: boolean;
}

type Fields = Record<string, unknown>;

const NODE_ID = new RegExp(relaySpec.preferredNode.pattern);

/**
 * Characters that make one name look like another: controls, format characters (zero-width
 * spaces and joiners, bidi marks, overrides and isolates, BOM), lone surrogates, line and
 * paragraph separators.
 */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** [] when the spec is valid. */
export function validateRelaySpec(spec: unknown, options: ValidateOptions = {}): string[] {
  const messages: string[] = [];
  if (!isObject(spec)) return [`relay must be an object, got ${show(spec)}`];
  const known = options.allowServerFields ? [...SPEC_FIELDS, ...SERVER_FIELDS] : SPEC_FIELDS;
  checkUnknownFields(spec, known, '', messages);
  checkName(spec.name, messages, options.alreadyStored === true);
  if (spec.enabled !== undefined && typeof spec.enabled !== 'boolean') {
    messages.push(`enabled must be true or false, got ${show(spec.enabled)}`);
  }
  if (options.allowServerFields) checkServerFields(spec, messages);
  checkInput(spec.input, 'input', messages);
  checkOutputs(spec.outputs, messages);
  if (spec.redundancy !== undefined) checkRedundancy(spec.redundancy, messages);
  if (spec.preferredNode !== undefined) checkPreferredNode(spec.preferredNode, messages);
  if (spec.analyze !== undefined && !(relaySpec.analyze.modes as readonly unknown[]).includes(spec.analyze)) {
    messages.push(`analyze must be ${relaySpec.analyze.rule}, got ${show(spec.analyze)}`);
  }
  return messages;
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkUnknownFields(fields: Fields, known: string[], path: string, messages: string[]): void {
  for (const key of Object.keys(fields)) {
    if (!known.includes(key)) messages.push(`${path}${key} is not a known field`);
  }
}

function checkName(name: unknown, messages: string[], alreadyStored: boolean): void {
  if (name === undefined) {
    messages.push('name is required');
  } else if (typeof name !== 'string' || name.trim() === '') {
    messages.push(`name must be a non-empty string, got ${show(name)}`);
  } else if (name.length > NAME_MAX_CHARS) {
    messages.push(`name must be at most ${NAME_MAX_CHARS} characters, got ${name.length} characters: ${show(name)}`);
  } else if (alreadyStored) {
    return;
  } else if (name !== name.trim()) {
    messages.push(`name must be ${relaySpec.name.edgeRule}, got ${show(name)}`);
  } else {
    const hidden = INVISIBLE.exec(name);
    if (hidden !== null)
      messages.push(`name must be ${relaySpec.name.visibleRule}, got ${show(name)} (${codePoint(hidden)})`);
  }
}

/** `U+202E at index 4`: the character a reader of the name cannot see. */
function codePoint(match: RegExpExecArray): string {
  const hex = (match[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `U+${hex} at index ${match.index}`;
}

function checkServerFields(spec: Fields, messages: string[]): void {
  if (spec.id !== undefined && typeof spec.id !== 'string') {
    messages.push(`id must be a string, got ${show(spec.id)}`);
  }
  if (spec.revision !== undefined && !isIntegerIn(spec.revision, 0, Number.MAX_SAFE_INTEGER)) {
    messages.push(`revision must be a non-negative integer, got ${show(spec.revision)}`);
  }
}

/** A node id as MCR_NODE_ID takes it: a node that could not exist is a typo worth refusing. */
function checkPreferredNode(node: unknown, messages: string[]): void {
  if (typeof node !== 'string' || !NODE_ID.test(node)) {
    messages.push(`preferredNode must be ${relaySpec.preferredNode.rule}, got ${show(node)}`);
  }
}

/** `path` is 'input' or 'redundancy.input': both legs follow the same rules. */
function checkInput(input: unknown, path: string, messages: string[]): void {
  if (input === undefined) {
    messages.push(`${path} is required`);
    return;
  }
  if (!isObject(input)) {
    messages.push(`${path} must be an object, got ${show(input)}`);
    return;
  }
  checkUnknownFields(input, INPUT_FIELDS, `${path}.`, messages);
  checkInterface(input.interface, `${path}.interface`, messages);
  const groupOk = checkAddress(input.group, `${path}.group`, messages);
  checkPort(input.port, `${path}.port`, messages);
  if (input.sources !== undefined) {
    checkSources(input.sources, path, groupOk ? (input.group as string) : undefined, messages);
  }
}

/** The B leg and how it combines with the primary; the limits are the contract's. */
function checkRedundancy(redundancy: unknown, messages: string[]): void {
  if (!isObject(redundancy)) {
    messages.push(`redundancy must be an object, got ${show(redundancy)}`);
    return;
  }
  const rules = relaySpec.redundancy;
  checkUnknownFields(redundancy, REDUNDANCY_FIELDS, 'redundancy.', messages);
  checkInput(redundancy.input, 'redundancy.input', messages);
  if (redundancy.mode === undefined) messages.push('redundancy.mode is required');
  else if (!(rules.modes as readonly unknown[]).includes(redundancy.mode))
    messages.push(`redundancy.mode must be ${rules.modeRule}, got ${show(redundancy.mode)}`);
  if (redundancy.key !== undefined && !(rules.keys as readonly unknown[]).includes(redundancy.key))
    messages.push(`redundancy.key must be ${rules.keyRule}, got ${show(redundancy.key)}`);
  for (const field of ['windowMs', 'lossMs', 'revertMs'] as const) {
    const value = redundancy[field];
    const range = rules[field];
    if (value !== undefined && !isIntegerIn(value, range.min, range.max))
      messages.push(`redundancy.${field} must be ${range.rule}, got ${show(value)}`);
  }
}

function checkOutputs(outputs: unknown, messages: string[]): void {
  if (outputs === undefined) {
    messages.push('outputs is required');
    return;
  }
  if (!Array.isArray(outputs)) {
    messages.push(`outputs must be ${relaySpec.outputs.rule}, got ${show(outputs)}`);
    return;
  }
  if (!isIntegerIn(outputs.length, relaySpec.outputs.min, OUTPUTS_MAX)) {
    messages.push(`outputs must have ${relaySpec.outputs.min}..${OUTPUTS_MAX} entries, got ${outputs.length}`);
  }
  outputs.forEach((output: unknown, index) => checkOutput(output, `outputs[${index}]`, messages));
  checkDuplicateOutputs(outputs, messages);
}

function checkOutput(output: unknown, path: string, messages: string[]): void {
  if (!isObject(output)) {
    messages.push(`${path} must be an object, got ${show(output)}`);
    return;
  }
  checkUnknownFields(output, OUTPUT_FIELDS, `${path}.`, messages);
  checkInterface(output.interface, `${path}.interface`, messages);
  const groupOk = checkAddress(output.group, `${path}.group`, messages);
  checkPort(output.port, `${path}.port`, messages);
  const { ttl, dscp } = relaySpec;
  if (output.ttl !== undefined && output.ttl !== ttl.inherit && !isIntegerIn(output.ttl, ttl.min, ttl.max)) {
    messages.push(`${path}.ttl must be ${ttl.rule}, got ${show(output.ttl)}`);
  }
  if (output.dscp !== undefined && !isIntegerIn(output.dscp, dscp.min, dscp.max)) {
    messages.push(`${path}.dscp must be ${dscp.rule}, got ${show(output.dscp)}`);
  }
  if (output.source !== undefined) {
    const group = groupOk ? (output.group as string) : undefined;
    checkUnicastOfFamily(output.source, `${path}.source`, group, `${path}.group`, messages);
  }
  if (output.onDemand !== undefined && typeof output.onDemand !== 'boolean') {
    messages.push(`${path}.onDemand must be true or false, got ${show(output.onDemand)}`);
  } else if (output.onDemand === true && groupOk && !isMulticast(output.group as string)) {
    messages.push(`${path}.onDemand needs a multicast ${path}.group, got ${show(output.group)}`);
  }
}

function checkInterface(name: unknown, path: string, messages: string[]): void {
  if (name === undefined) messages.push(`${path} is required`);
  else if (!isInterfaceName(name)) messages.push(`${path} must be ${INTERFACE_NAME_RULE}, got ${show(name)}`);
}

/** True when the address is usable as a group or destination. */
function checkAddress(addr: unknown, path: string, messages: string[]): boolean {
  if (addr === undefined) {
    messages.push(`${path} is required`);
  } else if (typeof addr !== 'string') {
    messages.push(`${path} must be an IPv4 or IPv6 address string, got ${show(addr)}`);
  } else if (addressFamily(addr) === undefined) {
    messages.push(`${path} ${show(addr)} is not an IPv4 or IPv6 address`);
  } else if (isUnspecified(addr)) {
    messages.push(`${path} ${show(addr)} is the unspecified address; give a multicast group or a unicast address`);
  } else if (isBroadcast(addr)) {
    messages.push(`${path} ${show(addr)} is the broadcast address; give a multicast group or a unicast address`);
  } else {
    return true;
  }
  return false;
}

function checkPort(port: unknown, path: string, messages: string[]): void {
  if (port === undefined) messages.push(`${path} is required`);
  else if (!isIntegerIn(port, relaySpec.port.min, PORT_MAX))
    messages.push(`${path} must be ${relaySpec.port.rule}, got ${show(port)}`);
}

/** SSM sources: only with a multicast group, unicast, same family as the group, no repeats. */
function checkSources(sources: unknown, input: string, group: string | undefined, messages: string[]): void {
  if (!Array.isArray(sources)) {
    messages.push(`${input}.sources must be an array of addresses, got ${show(sources)}`);
    return;
  }
  if (sources.length > 0 && group !== undefined && !isMulticast(group)) {
    messages.push(`${input}.sources is only allowed with a multicast ${input}.group, got ${show(group)}`);
    return;
  }
  const seen = new Map<string, number>();
  sources.forEach((source: unknown, index) => {
    const path = `${input}.sources[${index}]`;
    if (!checkUnicastOfFamily(source, path, group, `${input}.group`, messages)) return;
    const key = canonicalAddress(source as string);
    const first = seen.get(key);
    if (first !== undefined) messages.push(`${path} ${show(source)} duplicates ${input}.sources[${first}]`);
    else seen.set(key, index);
  });
}

/** A unicast address of the same family as `group` (when the group itself is valid). */
function checkUnicastOfFamily(
  addr: unknown,
  path: string,
  group: string | undefined,
  groupPath: string,
  messages: string[],
): boolean {
  if (typeof addr !== 'string') {
    messages.push(`${path} must be an IPv4 or IPv6 address string, got ${show(addr)}`);
  } else if (addressFamily(addr) === undefined) {
    messages.push(`${path} ${show(addr)} is not an IPv4 or IPv6 address`);
  } else if (!isUnicast(addr)) {
    messages.push(`${path} ${show(addr)} must be a unicast address`);
  } else if (group !== undefined && familyOf(group) !== familyOf(addr)) {
    messages.push(`${path} ${show(addr)} must be an IPv${familyOf(group)} address like ${groupPath} ${show(group)}`);
  } else {
    return true;
  }
  return false;
}

/** The family the kernel sees: an IPv4-mapped IPv6 address is IPv4. */
function familyOf(addr: string): AddressFamily | undefined {
  return addressFamily(canonicalAddress(addr));
}

/** The same destination twice would send every datagram twice. */
function checkDuplicateOutputs(outputs: unknown[], messages: string[]): void {
  const seen = new Map<string, number>();
  outputs.forEach((output, index) => {
    if (
      !isObject(output) ||
      !isInterfaceName(output.interface) ||
      !isIntegerIn(output.port, relaySpec.port.min, PORT_MAX)
    )
      return;
    if (typeof output.group !== 'string' || addressFamily(output.group) === undefined) return;
    const endpoint = {
      interface: output.interface,
      group: canonicalAddress(output.group),
      port: output.port as number,
    };
    const key = describeEndpoint(endpoint);
    const first = seen.get(key);
    if (first !== undefined) messages.push(`outputs[${index}] duplicates outputs[${first}] (${key})`);
    else seen.set(key, index);
  });
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}
