// What PATCH /api/v1/relays/{id} does to a stored relay: applies the merge patch to the relay as
// GET shows it and checks the result as a whole relay (every problem named by its field), so a
// patch can never store what a PUT could not. `id` and `revision` are read-only: a patch may echo
// them back unchanged (a GET body with edits is a valid patch); `revision` then acts as If-Match.
import { BadRequestException } from '@nestjs/common';
import { validateRelaySpec, type Relay, type RelaySpec } from '@mcr/model';
import { applyMergePatch, isPlainObject } from './merge-patch';

export interface PatchedRelay {
  spec: RelaySpec;
  /** The `revision` the patch carries, for the write condition. */
  revision?: number;
}

export function applyRelayPatch(relay: Relay, patch: unknown): PatchedRelay {
  if (!isPlainObject(patch)) {
    throw new BadRequestException([`a merge patch must be a JSON object, got ${describe(patch)}`]);
  }
  const readOnly = readOnlyProblems(relay, patch);
  if (readOnly.length > 0) throw new BadRequestException(readOnly);
  const { id: _id, revision: _revision, ...current } = relay;
  const { id: _patchId, revision, ...changes } = patch;
  const merged = applyMergePatch(current, changes);
  const problems = validateRelaySpec(merged);
  if (problems.length > 0) throw new BadRequestException(problems);
  return { spec: merged as RelaySpec, revision: revision as number | undefined };
}

function readOnlyProblems(relay: Relay, patch: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if ('id' in patch && patch.id !== relay.id) {
    problems.push(`id is read-only: the patch sets it to ${describe(patch.id)}, the relay's id is '${relay.id}'`);
  }
  const { revision } = patch;
  if ('revision' in patch && !(Number.isInteger(revision) && (revision as number) >= 0)) {
    problems.push(
      `revision must be the relay's revision (an integer >= 0, as read from GET), got ${describe(revision)}`,
    );
  }
  return problems;
}

function describe(value: unknown): string {
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
