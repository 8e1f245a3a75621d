// The logging decisions: how loud each API request is, MCR_LOG_FORMAT's default (pretty on a
// terminal, JSON otherwise), the pretty line, and Nest's start-up chatter moved to debug.
import { PassThrough } from 'node:stream';
import type { Logger } from 'nestjs-pino';
import { loadConfig } from '../src/config/load-config';
import { FrameworkQuietLogger } from '../src/logging/framework-logger';
import { formatPretty, prettyStream } from '../src/logging/pretty-stream';
import { requestLogLevel } from '../src/logging/request-log-level';

describe('requestLogLevel', () => {
  it.each([
    ['GET', 200, false, 'debug'],
    ['HEAD', 200, false, 'debug'],
    ['GET', 404, false, 'debug'],
    ['POST', 201, false, 'info'],
    ['PUT', 200, false, 'info'],
    ['PATCH', 412, false, 'info'],
    ['DELETE', 204, false, 'info'],
    ['POST', 400, false, 'info'],
    ['GET', 401, false, 'warn'],
    ['POST', 403, false, 'warn'],
    ['GET', 503, false, 'error'],
    ['POST', 200, true, 'error'],
  ])('%s answered %i (failed: %s) logs at %s', (method, status, failed, level) => {
    expect(requestLogLevel(method, status, failed)).toBe(level);
  });
});

describe('MCR_LOG_FORMAT', () => {
  const load = (env: NodeJS.ProcessEnv, logToTerminal: boolean) =>
    loadConfig({ env, hostname: () => 'h', logToTerminal }).logFormat;

  it('is pretty on a terminal and json otherwise, unless set', () => {
    expect(load({}, true)).toBe('pretty');
    expect(load({}, false)).toBe('json');
    expect(load({ MCR_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(load({ MCR_LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
  });
});

describe('pretty format', () => {
  const time = Date.UTC(2026, 11, 4, 21, 5, 7, 123);

  it('writes time, level, source and message on one line; a request line names its id', () => {
    expect(formatPretty(JSON.stringify({ level: 30, time, context: 'Relays', msg: 'relay x created' }))).toBe(
      '21:05:07.123 INFO  Relays: relay x created',
    );
    expect(
      formatPretty(JSON.stringify({ level: 20, time, req: { id: 'r-1' }, msg: 'GET /api/v1/relays 200 3 ms' })),
    ).toBe('21:05:07.123 DEBUG http: GET /api/v1/relays 200 3 ms (request r-1)');
    expect(
      formatPretty(JSON.stringify({ level: 50, time, msg: 'boom', err: { stack: 'Error: boom\n    at x' } })),
    ).toBe('21:05:07.123 ERROR mcrd: boom\nError: boom\n    at x');
    expect(formatPretty('not json')).toBe('not json');
  });

  it('reassembles lines split across writes', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (chunk: Buffer) => (text += chunk.toString()));
    const stream = prettyStream(out);
    const line = JSON.stringify({ level: 40, time, context: 'Main', msg: 'careful' });
    stream.write(line.slice(0, 10));
    stream.write(`${line.slice(10)}\n`);
    await new Promise((resolve) => stream.end(resolve));
    expect(text).toBe('21:05:07.123 WARN  Main: careful\n');
  });
});

describe('FrameworkQuietLogger', () => {
  it("moves Nest's start-up lines to debug and passes the service's own through", () => {
    const calls: string[] = [];
    const record = (level: string) => (message: unknown) => calls.push(`${level} ${String(message)}`);
    const pino = { log: record('info'), debug: record('debug') } as unknown as Logger;
    const logger = new FrameworkQuietLogger(pino);
    logger.log('Mapped {/api/v1/relays, GET} route', 'RouterExplorer');
    logger.log('Nest application successfully started', 'NestApplication');
    logger.log('first reconcile applied', 'Reconciler');
    expect(calls).toEqual([
      'debug Mapped {/api/v1/relays, GET} route',
      'debug Nest application successfully started',
      'info first reconcile applied',
    ]);
  });
});
