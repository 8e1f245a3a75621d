// Bearer-token rules: with MCR_API_TOKEN set, mutating routes need it; with MCR_API_TOKEN_READ
// set, reads need a token too (the read token or the write token). A write is never easier
// than a read: with only MCR_API_TOKEN_READ set, writes need that token. Compared in constant time.
import { Inject, Injectable, UnauthorizedException, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { McrdConfig } from '../config/config.types';
import { MCRD_CONFIG } from '../tokens';
import { PUBLIC_ROUTE } from './public.decorator';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

@Injectable()
export class TokenGuard implements CanActivate {
  private readonly writeTokens: Buffer[];
  private readonly readTokens: Buffer[];

  constructor(
    private readonly reflector: Reflector,
    @Inject(MCRD_CONFIG) config: McrdConfig,
  ) {
    const write = config.apiToken ?? config.apiTokenRead;
    this.writeTokens = write === undefined ? [] : [digest(write)];
    this.readTokens = config.apiTokenRead === undefined ? [] : [digest(config.apiTokenRead), ...this.writeTokens];
  }

  canActivate(context: ExecutionContext): boolean {
    const isPublic = this.reflector.getAllAndOverride<boolean>(PUBLIC_ROUTE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (isPublic === true) return true;
    const request = context.switchToHttp().getRequest<Request>();
    const accepted = READ_METHODS.has(request.method) ? this.readTokens : this.writeTokens;
    if (accepted.length === 0) return true;
    const presented = bearerToken(request.headers.authorization);
    if (presented === undefined) {
      throw new UnauthorizedException('this route needs an Authorization: Bearer <token> header');
    }
    const presentedDigest = digest(presented);
    // Check every accepted token so the time taken does not depend on which one matched.
    let match = false;
    for (const token of accepted) match = timingSafeEqual(token, presentedDigest) || match;
    if (!match) throw new UnauthorizedException('the bearer token is not valid for this route');
    return true;
  }
}

/** Hashing first gives equal-length buffers, as timingSafeEqual requires. */
function digest(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}

function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}
