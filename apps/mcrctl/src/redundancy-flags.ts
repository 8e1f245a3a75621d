// The B leg of a redundant relay from `add` flags (`--in-b eth2:239.1.2.1:5000 --source-b
// 10.2.0.5 --mode merge --key rtp --window-ms 50`). Syntax and the contract's ranges
// (@mcr/contract relaySpec.redundancy) are checked here; the service applies the full rules.
import { relaySpec } from '@mcr/contract';
import type { RedundancyKey, RedundancyMode, RelayRedundancy } from '@mcr/model';
import { parseIngressFlag } from './relay-flags';
import { UsageError } from './usage-error';

export interface RedundancyFlags {
  inB?: string;
  sourceB?: string[];
  mode?: string;
  key?: string;
  windowMs?: string;
  lossMs?: string;
  revertMs?: string;
}

const RULES = relaySpec.redundancy;

/** undefined without --in-b; the settings flags alone are refused, they would do nothing. */
export function redundancyFromFlags(flags: RedundancyFlags): RelayRedundancy | undefined {
  if (flags.inB === undefined) {
    const stray = (['mode', 'key', 'windowMs', 'lossMs', 'revertMs', 'sourceB'] as const).find(
      (name) => flags[name] !== undefined && !(Array.isArray(flags[name]) && flags[name].length === 0),
    );
    if (stray !== undefined) throw new UsageError(`--${kebab(stray)} needs --in-b (the B leg)`, 'add');
    return undefined;
  }
  const redundancy: RelayRedundancy = {
    input: parseIngressFlag(flags.inB, flags.sourceB ?? [], '--in-b'),
    mode: choice('--mode', flags.mode ?? 'merge', RULES.modes, RULES.modeRule) as RedundancyMode,
  };
  if (flags.key !== undefined) redundancy.key = choice('--key', flags.key, RULES.keys, RULES.keyRule) as RedundancyKey;
  if (flags.windowMs !== undefined) redundancy.windowMs = milliseconds('--window-ms', flags.windowMs, RULES.windowMs);
  if (flags.lossMs !== undefined) redundancy.lossMs = milliseconds('--loss-ms', flags.lossMs, RULES.lossMs);
  if (flags.revertMs !== undefined) redundancy.revertMs = milliseconds('--revert-ms', flags.revertMs, RULES.revertMs);
  return redundancy;
}

function choice(flag: string, value: string, allowed: readonly string[], rule: string): string {
  if (!allowed.includes(value)) throw new UsageError(`${flag} must be ${rule}, got '${value}'`, 'add');
  return value;
}

function milliseconds(flag: string, raw: string, range: { min: number; max: number; rule: string }): number {
  const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!(value >= range.min && value <= range.max))
    throw new UsageError(`${flag} must be ${range.rule}, got '${raw}'`, 'add');
  return value;
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}
