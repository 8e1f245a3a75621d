// The stored form of a relay spec: defaults filled in, addresses in canonical spelling, fields in
// one fixed order, unknown fields dropped. Stores, the export and the engine all see this form.
import { relaySpec } from '@mcr/contract';
import { canonicalAddress } from './address';
import type { RelayInput, RelayOutput, RelayRedundancy, RelaySpec, Ttl } from './relay';

export const DEFAULT_TTL = relaySpec.ttl.default;
export const DEFAULT_DSCP = relaySpec.dscp.default;

export interface NormalizedRelayOutput extends RelayOutput {
  ttl: Ttl;
  dscp: number;
}

export type NormalizedRelayRedundancy = Required<RelayRedundancy>;

export interface NormalizedRelaySpec extends RelaySpec {
  enabled: boolean;
  outputs: NormalizedRelayOutput[];
  redundancy?: NormalizedRelayRedundancy;
}

/** Expects a spec that validateRelaySpec() accepted; it does not validate. */
export function normalizeRelaySpec(spec: RelaySpec): NormalizedRelaySpec {
  const normalized: NormalizedRelaySpec = {
    name: spec.name,
    enabled: spec.enabled ?? true,
    input: normalizeInput(spec.input),
    outputs: spec.outputs.map(normalizeOutput),
  };
  if (spec.redundancy !== undefined) normalized.redundancy = normalizeRedundancy(spec.redundancy);
  if (spec.preferredNode !== undefined) normalized.preferredNode = spec.preferredNode;
  // Absent = the default, as stored before the field existed: stored relays read back unchanged.
  if (spec.analyze !== undefined && spec.analyze !== relaySpec.analyze.default) normalized.analyze = spec.analyze;
  return normalized;
}

/** Every field present, so the engine and an export see the values in force. */
function normalizeRedundancy(redundancy: RelayRedundancy): NormalizedRelayRedundancy {
  const { keyDefault, windowMs, lossMs, revertMs } = relaySpec.redundancy;
  return {
    input: normalizeInput(redundancy.input),
    mode: redundancy.mode,
    key: redundancy.key ?? keyDefault,
    windowMs: redundancy.windowMs ?? windowMs.default,
    lossMs: redundancy.lossMs ?? lossMs.default,
    revertMs: redundancy.revertMs ?? revertMs.default,
  };
}

function normalizeInput(input: RelayInput): RelayInput {
  const normalized: RelayInput = {
    interface: input.interface,
    group: canonicalAddress(input.group),
    port: input.port,
  };
  if (input.sources !== undefined && input.sources.length > 0) {
    normalized.sources = input.sources.map(canonicalAddress);
  }
  return normalized;
}

function normalizeOutput(output: RelayOutput): NormalizedRelayOutput {
  const normalized: NormalizedRelayOutput = {
    interface: output.interface,
    group: canonicalAddress(output.group),
    port: output.port,
    ttl: output.ttl ?? DEFAULT_TTL,
    dscp: output.dscp ?? DEFAULT_DSCP,
  };
  if (output.source !== undefined) normalized.source = canonicalAddress(output.source);
  if (output.onDemand === true) normalized.onDemand = true; // absent = false, as stored before
  return normalized;
}
