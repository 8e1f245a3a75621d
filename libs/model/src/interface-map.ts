// MCR_INTERFACE_MAP: logical interface names (shared by HA peers) to this node's real names, e.g.
// "uplink=eth0,downlink=eth3". Names without an entry are used as they are.
import { show } from './describe';
import { INTERFACE_NAME_RULE, isInterfaceName } from './interface-name';
import type { RelaySpec } from './relay';

export type InterfaceMap = ReadonlyMap<string, string>;

export class InterfaceMapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InterfaceMapError';
  }
}

/** Parses `logical=real[,logical=real...]`; whitespace around entries is ignored; '' = no map. */
export function parseInterfaceMap(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const rawEntry of text.split(',')) {
    const entry = rawEntry.trim();
    if (entry === '' && text.trim() === '') continue;
    const [logical, real, extra] = entry.split('=').map((part) => part.trim());
    if (real === undefined || extra !== undefined) {
      throw new InterfaceMapError(`interface map entry ${show(entry)} must be logical=real, e.g. uplink=eth0`);
    }
    for (const name of [logical, real]) {
      if (!isInterfaceName(name)) {
        throw new InterfaceMapError(`interface map entry ${show(entry)}: ${show(name)} is not ${INTERFACE_NAME_RULE}`);
      }
    }
    if (map.has(logical)) {
      throw new InterfaceMapError(`interface map entry ${show(entry)}: ${show(logical)} is mapped twice`);
    }
    map.set(logical, real);
  }
  return map;
}

/** The spec with logical interface names replaced by real ones; other fields kept as they are. */
export function applyInterfaceMap<T extends RelaySpec>(spec: T, map: InterfaceMap): T {
  const real = (name: string): string => map.get(name) ?? name;
  const mapped: T = {
    ...spec,
    input: { ...spec.input, interface: real(spec.input.interface) },
    outputs: spec.outputs.map((output) => ({ ...output, interface: real(output.interface) })),
  };
  if (spec.redundancy !== undefined) {
    const { input } = spec.redundancy;
    mapped.redundancy = { ...spec.redundancy, input: { ...input, interface: real(input.interface) } };
  }
  return mapped;
}
