// Turns the flags of `mcrctl set` into a JSON merge patch of a relay (RFC 7396): only what the
// operator names changes. Arrays are replaced whole by a merge patch, so `--ttl`/`--dscp` without
// `--out` rewrite the relay's current outputs; that patch then carries the revision it was built
// from as If-Match, and a concurrent change of the outputs makes it fail (412) instead of being lost.
import type { Relay, RelayInput, RelayOutput, Ttl } from '@mcr/model';
import {
  parseAnalyze,
  parseDscp,
  parseIngressFlag,
  parseOutputFlag,
  parsePreferredNode,
  parseSourceList,
  parseTtl,
} from './relay-flags';
import { UsageError } from './usage-error';

export interface SetFlags {
  name?: string;
  in?: string;
  source: string[];
  anySource: boolean;
  out: string[];
  ttl?: string;
  dscp?: string;
  preferredNode?: string;
  anyNode?: boolean;
  analyze?: string;
}

export interface RelayPatch {
  patch: Record<string, unknown>;
  /** The ETag the patch was computed from, when it rewrites what the relay holds. */
  ifMatch?: string;
}

const NOTHING_TO_CHANGE =
  'set: nothing to change: give --name, --in, --source, --any-source, --out, --ttl, --dscp, --preferred-node, --any-node or --analyze';

/**
 * Checks every flag before anything is sent (a usage error never reaches the service) and returns
 * the patch to make of the relay as it is now.
 */
export function relayPatchFromFlags(flags: SetFlags): (relay: Relay) => RelayPatch {
  try {
    return parsePatch(flags);
  } catch (error) {
    // The flag parsers are shared with `add`; a usage error here points to `set --help`.
    if (error instanceof UsageError) throw new UsageError(error.message, 'set');
    throw error;
  }
}

function parsePatch(flags: SetFlags): (relay: Relay) => RelayPatch {
  const patch: Record<string, unknown> = {};
  if (flags.name !== undefined) patch.name = flags.name;
  if (flags.analyze !== undefined) patch.analyze = parseAnalyze(flags.analyze);
  const input = inputPatch(flags);
  if (input !== undefined) patch.input = input;
  const preferredNode = preferredNodePatch(flags);
  if (preferredNode !== undefined) patch.preferredNode = preferredNode;
  const ttl = flags.ttl === undefined ? undefined : parseTtl(flags.ttl, '--ttl');
  const dscp = flags.dscp === undefined ? undefined : parseDscp(flags.dscp, '--dscp');
  if (flags.out.length > 0) {
    patch.outputs = flags.out.map(parseOutputFlag).map((output) => withDefaults(output, ttl, dscp));
  } else if (ttl !== undefined || dscp !== undefined) {
    return (relay) => ({
      patch: { ...patch, outputs: relay.outputs.map((output) => overridden(output, ttl, dscp)) },
      ifMatch: `"${relay.revision}"`,
    });
  }
  if (Object.keys(patch).length === 0) throw new UsageError(NOTHING_TO_CHANGE, 'set');
  return () => ({ patch });
}

/** `--in` replaces interface, group and port; sources change only with --source / --any-source. */
function inputPatch(flags: SetFlags): Partial<Record<keyof RelayInput, unknown>> | undefined {
  if (flags.anySource && flags.source.length > 0) {
    throw new UsageError('--source and --any-source contradict each other: give one', 'set');
  }
  const input: Partial<Record<keyof RelayInput, unknown>> = {};
  if (flags.in !== undefined) {
    const { interface: name, group, port } = parseIngressFlag(flags.in);
    Object.assign(input, { interface: name, group, port });
  }
  if (flags.source.length > 0) input.sources = parseSourceList(flags.source);
  if (flags.anySource) input.sources = null;
  return Object.keys(input).length === 0 ? undefined : input;
}

/** null removes the field (merge patch): the relay is placed as any other. */
function preferredNodePatch(flags: SetFlags): string | null | undefined {
  if (flags.anyNode === true && flags.preferredNode !== undefined) {
    throw new UsageError('--preferred-node and --any-node contradict each other: give one', 'set');
  }
  if (flags.anyNode === true) return null;
  return flags.preferredNode === undefined ? undefined : parsePreferredNode(flags.preferredNode);
}

/** A new `--out` keeps its own ttl=/dscp=; --ttl/--dscp fill in the ones it does not give. */
function withDefaults(output: RelayOutput, ttl?: Ttl, dscp?: number): RelayOutput {
  return {
    ...output,
    ...(output.ttl === undefined && ttl !== undefined ? { ttl } : {}),
    ...(output.dscp === undefined && dscp !== undefined ? { dscp } : {}),
  };
}

function overridden(output: RelayOutput, ttl?: Ttl, dscp?: number): RelayOutput {
  return { ...output, ...(ttl === undefined ? {} : { ttl }), ...(dscp === undefined ? {} : { dscp }) };
}
