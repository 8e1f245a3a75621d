// Public API of @mcr/model: the relay resource types and the pure rules around them (validation,
// normalisation, ingress identity, loops, interface maps, rules files). No I/O.
export * from './relay';
export {
  addressFamily,
  canonicalAddress,
  isBroadcast,
  isMulticast,
  isUnicast,
  isUnspecified,
  type AddressFamily,
} from './address';
export { describeEndpoint } from './describe';
export { INTERFACE_NAME_MAX_CHARS, isInterfaceName } from './interface-name';
export {
  DEFAULT_DSCP,
  DEFAULT_TTL,
  normalizeRelaySpec,
  type NormalizedRelayOutput,
  type NormalizedRelayRedundancy,
  type NormalizedRelaySpec,
} from './normalize';
export {
  DSCP_MAX,
  NAME_MAX_CHARS,
  OUTPUTS_MAX,
  PORT_MAX,
  TTL_MAX,
  validateRelaySpec,
  type ValidateOptions,
} from './validate';
export { findLegClash, ingressesOf, ingressKey, type RelayIngress } from './ingress-key';
export { findLoops, type IngressOwner } from './loops';
export { MAX_BODY_DEPTH, nestsDeeperThan, tooDeepMessage } from './nesting';
export { applyInterfaceMap, InterfaceMapError, parseInterfaceMap, type InterfaceMap } from './interface-map';
export { formatRulesFile, parseRulesFile, RulesFileError, type RulesFile } from './rules-file';
