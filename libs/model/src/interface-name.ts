// Linux network interface name rules (the kernel's dev_valid_name), shared by relay validation and
// MCR_INTERFACE_MAP parsing. The length and the rule text are the contract's (@mcr/contract).
import { relaySpec } from '@mcr/contract';

/** IFNAMSIZ is 16 including the terminating NUL. */
export const INTERFACE_NAME_MAX_CHARS = relaySpec.interfaceName.maxChars;

export const INTERFACE_NAME_RULE = relaySpec.interfaceName.rule;

export function isInterfaceName(name: unknown): name is string {
  return (
    typeof name === 'string' &&
    name.length >= 1 &&
    name.length <= INTERFACE_NAME_MAX_CHARS &&
    name !== '.' &&
    name !== '..' &&
    // eslint-disable-next-line no-control-regex -- the kernel refuses control characters: matching them is the point
    !/[/:\s\x00-\x1f\x7f]/.test(name)
  );
}
