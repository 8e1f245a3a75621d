// Refuses (400) a parsed JSON body that nests deeper than the contract's limit, before the
// validation pipe, class-transformer or any message that shows a value recurses into it.
import type { NextFunction, Request, Response } from 'express';
import { nestsDeeperThan, tooDeepMessage } from '@mcr/model';
import { errorBody } from './error-body';

export function bodyDepthLimit(req: Request, res: Response, next: NextFunction): void {
  if (!nestsDeeperThan(req.body)) return next();
  res.status(400).json(errorBody(400, [tooDeepMessage('request body')]));
}
