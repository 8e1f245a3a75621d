// Shapes every error the service answers with: HTTP exceptions, store errors, body-parser
// errors (413, bad JSON) and anything unexpected (500, logged with its stack).
import { ArgumentsHost, Catch, HttpException, Logger, type ExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import {
  InvalidRelayError,
  RelayConflictError,
  RelayNotFoundError,
  RevisionMismatchError,
  StoreUnavailableError,
} from '@mcr/store';
import { bodyParserError } from './body-errors';
import { errorBody, type ErrorBody } from './error-body';

@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Http');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    const { status, body } = this.toResponse(exception);
    if (status === 401) response.setHeader('WWW-Authenticate', 'Bearer realm="mcr"');
    response.status(status).json(body);
  }

  private toResponse(exception: unknown): { status: number; body: ErrorBody | object } {
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const payload = exception.getResponse();
      if (typeof payload === 'string') return { status, body: errorBody(status, payload) };
      const message = (payload as { message?: unknown }).message;
      // Bodies without a message (terminus health results) are already the contract: keep them.
      if (message === undefined) return { status, body: payload };
      return { status, body: errorBody(status, message as string | string[]) };
    }
    const mapped = mapDomainError(exception);
    if (mapped !== undefined) return { status: mapped.statusCode, body: mapped };
    this.logger.error(`unexpected error: ${(exception as Error)?.stack ?? String(exception)}`);
    return { status: 500, body: errorBody(500, 'internal error; see the service log') };
  }
}

function mapDomainError(err: unknown): ErrorBody | undefined {
  if (err instanceof RelayNotFoundError) return errorBody(404, err.message);
  if (err instanceof RevisionMismatchError) return errorBody(412, err.message);
  if (err instanceof RelayConflictError) return errorBody(409, err.message);
  if (err instanceof StoreUnavailableError) return errorBody(503, err.message);
  if (err instanceof InvalidRelayError) return errorBody(400, err.messages);
  return bodyParserError(err);
}
