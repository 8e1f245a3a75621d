// Turns `If-Match` (RFC 9110 13.1.1) and a body `revision` into the condition a write must meet,
// and checks it against the relay's current revision. A relay's ETag is its revision, quoted.
import { BadRequestException, PreconditionFailedException } from '@nestjs/common';

/** Revisions the stored relay may have for the write to go ahead; undefined = any. */
export type RevisionCondition = readonly number[] | undefined;

/**
 * `*` or absent -> undefined; otherwise the revisions of the listed strong tags (`"7", "8"`).
 * If-Match compares strongly, so weak tags (`W/"7"`) and anything that is not an entity-tag
 * match nothing; a header made only of those gives [] and the write answers 412.
 */
export function parseIfMatch(header: string | undefined): RevisionCondition {
  if (header === undefined || header.trim() === '*') return undefined;
  const revisions: number[] = [];
  for (const member of header.split(',')) {
    const tag = /^\s*"(\d{1,15})"\s*$/.exec(member);
    if (tag !== null) revisions.push(Number(tag[1]));
  }
  return revisions;
}

/** The header's list, narrowed to the body revision when both are given (412 when it is not listed). */
export function writeCondition(ifMatch: string | undefined, bodyRevision: number | undefined): RevisionCondition {
  const listed = parseIfMatch(ifMatch);
  if (bodyRevision === undefined) return listed;
  if (listed !== undefined && !listed.includes(bodyRevision)) {
    throw new PreconditionFailedException(`If-Match ${ifMatch} does not list the body revision ${bodyRevision}`);
  }
  return [bodyRevision];
}

/**
 * The revision to hand the store for its atomic check. One listed revision goes to the store as it
 * is (the store compares it with what it holds, which a node's cached `current` may trail); from a
 * list, the current revision when the list holds it. Otherwise nothing can match: 412.
 */
export function revisionToExpect(current: number, condition: RevisionCondition): number | undefined {
  if (condition === undefined) return undefined;
  if (condition.length === 1) return condition[0];
  if (condition.includes(current)) return current;
  const listed = condition.length === 0 ? 'no strong ETag' : condition.map(etag).join(', ');
  throw new PreconditionFailedException(
    `the relay is at revision ${current} (ETag ${etag(current)}); the request allows ${listed}`,
  );
}

export function checkBodyId(pathId: string, bodyId: string | undefined): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new BadRequestException([`id '${bodyId}' in the body does not match the id '${pathId}' in the path`]);
  }
}

export function etag(revision: number): string {
  return `"${revision}"`;
}
