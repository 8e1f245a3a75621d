// Turns `If-Match` and a body `revision` into the one expected revision a write must match.
import { BadRequestException, PreconditionFailedException } from '@nestjs/common';

/** `"7"`, `W/"7"` or `7` -> 7; `*` or absent -> undefined; anything else can never match (-1). */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === '*') return undefined;
  const match = /^\s*(?:W\/)?"?(\d+)"?\s*$/.exec(header);
  return match === null ? -1 : Number(match[1]);
}

export function expectedRevision(ifMatch: string | undefined, bodyRevision: number | undefined): number | undefined {
  const fromHeader = parseIfMatch(ifMatch);
  if (fromHeader !== undefined && bodyRevision !== undefined && fromHeader !== bodyRevision) {
    throw new PreconditionFailedException(`If-Match ${ifMatch} and body revision ${bodyRevision} disagree`);
  }
  return fromHeader ?? bodyRevision;
}

export function checkBodyId(pathId: string, bodyId: string | undefined): void {
  if (bodyId !== undefined && bodyId !== pathId) {
    throw new BadRequestException([`id '${bodyId}' in the body does not match the id '${pathId}' in the path`]);
  }
}

export function etag(revision: number): string {
  return `"${revision}"`;
}
