// How deep a parsed body nests, measured without recursion: every later check (validation,
// messages that show a value, JSON.stringify) recurses, so a body is measured before it is walked.
import { requestBody } from '@mcr/contract';

export const MAX_BODY_DEPTH = requestBody.maxDepth;

/**
 * True when `value` nests deeper than `maxDepth` objects/arrays (a scalar is depth 0, `[]` is 1).
 * Stops at the first path that is too deep, so a hostile body costs at most its own size.
 */
export function nestsDeeperThan(value: unknown, maxDepth: number = MAX_BODY_DEPTH): boolean {
  const pending: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (pending.length > 0) {
    const { value: current, depth } = pending.pop() as { value: unknown; depth: number };
    if (typeof current !== 'object' || current === null) continue;
    if (depth + 1 > maxDepth) return true;
    for (const child of Object.values(current)) pending.push({ value: child, depth: depth + 1 });
  }
  return false;
}

/** The refusal, worded alike by mcrd (JSON bodies) and the rules-file parser. */
export function tooDeepMessage(what: string): string {
  return `${what} must be ${requestBody.depthRule}`;
}
