// Answers request-body errors (too large: 413, malformed JSON: 400) in the API's error shape.
// Registered right after the body parsers, because Nest would flatten them into a bare 400.
import type { NextFunction, Request, Response } from 'express';
import { errorBody, type ErrorBody } from './error-body';

/** Errors raised by express's body parsers carry `type` and `status`. */
export function bodyParserError(err: unknown): ErrorBody | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const { type, status, limit, message } = err as {
    type?: unknown;
    status?: unknown;
    limit?: unknown;
    message?: string;
  };
  if (typeof type !== 'string' || typeof status !== 'number') return undefined;
  if (type === 'entity.too.large') return errorBody(413, `request body is larger than the ${String(limit)}-byte limit`);
  if (type === 'entity.parse.failed') return errorBody(400, `request body is not valid JSON: ${message ?? ''}`);
  if (type === 'encoding.unsupported' || type === 'charset.unsupported') return errorBody(415, message ?? type);
  return status >= 400 && status < 500 ? errorBody(status, message ?? type) : undefined;
}

export function bodyParserErrorHandler(err: unknown, _req: Request, res: Response, next: NextFunction): void {
  const body = bodyParserError(err);
  if (body === undefined) return next(err);
  res.status(body.statusCode).json(body);
}
