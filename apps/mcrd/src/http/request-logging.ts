// nestjs-pino settings: structured JSON logs (or pretty ones, MCR_LOG_FORMAT), a request id on
// every line (taken from X-Request-Id or generated, and echoed back), secrets redacted, health and
// metrics polls not logged, reads at debug and writes at info (logging/request-log-level.ts).
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Params } from 'nestjs-pino';
import type { Options } from 'pino-http';
import type { LogFormat, LogLevel } from '../config/config.types';
import { prettyStream } from '../logging/pretty-stream';
import { requestLogLevel } from '../logging/request-log-level';

const QUIET_PATHS = /^\/(livez|readyz|healthz|metrics)(\/|\?|$)/;

export function loggerParams(level: LogLevel, format: LogFormat = 'json'): Params {
  const options = httpLoggerOptions(level);
  return { pinoHttp: format === 'pretty' ? [options, prettyStream(process.stdout)] : options };
}

function httpLoggerOptions(level: LogLevel): Options {
  return {
    level,
    customLogLevel: (req, res, err) => requestLogLevel(req.method, res.statusCode, err !== undefined),
    customSuccessMessage: (req, res, responseTime) => `${req.method} ${req.url} ${res.statusCode} ${responseTime} ms`,
    customErrorMessage: (req, res, err) => `${req.method} ${req.url} ${res.statusCode}: ${err.message}`,
    genReqId: (req: IncomingMessage, res: ServerResponse) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
      res.setHeader('X-Request-Id', id);
      return id;
    },
    autoLogging: { ignore: (req: IncomingMessage) => QUIET_PATHS.test(req.url ?? '') },
    redact: ['req.headers.authorization', 'req.headers.cookie'],
    serializers: {
      req: (req: { id: unknown; method: string; url: string; remoteAddress?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url,
        remoteAddress: req.remoteAddress,
      }),
      res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
    },
  };
}
