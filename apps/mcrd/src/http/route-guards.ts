// 405 for a method a documented path does not answer (with Allow), and 415 for a request body
// whose media type the operation does not accept: before the body parsers, so a text body is
// never read as a JSON object with nine fields missing.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { errorBody } from './error-body';
import type { RouteTable } from './route-table';

export function routeGuards(table: RouteTable): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const route = table.match(req.path);
    if (route === undefined) return next();
    if (!route.allowed.includes(req.method)) {
      res.setHeader('Allow', route.allowed.join(', '));
      res
        .status(405)
        .json(errorBody(405, `${req.method} is not supported on ${req.path}; use ${route.allowed.join(', ')}`));
      return;
    }
    const accepted = route.bodyTypes(req.method);
    // req.is() is null without a body; a body without a Content-Type is refused like a wrong one.
    if (accepted !== undefined && req.is(accepted) === false) {
      const sent = req.headers['content-type'] ?? 'no Content-Type';
      res.status(415).json(errorBody(415, `request body must be ${accepted.join(' or ')}, got ${sent}`));
      return;
    }
    next();
  };
}
