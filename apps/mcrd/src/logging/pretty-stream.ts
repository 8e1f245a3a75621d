// MCR_LOG_FORMAT=pretty: pino's JSON lines rewritten for a person at a terminal, one line per
// record: time, level, where it comes from, the message, and the request id of API lines. Fields
// beyond those stay in the JSON format, which is what log shippers should read.
import { Writable } from 'node:stream';

const LEVEL_NAMES: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

interface LogRecord {
  level?: number;
  time?: number;
  context?: string;
  msg?: string;
  req?: { id?: unknown };
  err?: { stack?: string; message?: string };
}

/** One pino JSON line as "12:04:05.123 INFO  Relays: relay ... created". Not JSON: passed through. */
export function formatPretty(line: string): string {
  let record: LogRecord;
  try {
    record = JSON.parse(line) as LogRecord;
  } catch {
    return line;
  }
  const time = new Date(record.time ?? Date.now()).toISOString().slice(11, 23);
  const level = (LEVEL_NAMES[record.level ?? 30] ?? String(record.level)).padEnd(5);
  const source = record.context ?? (record.req === undefined ? 'mcrd' : 'http');
  const request = record.req?.id === undefined ? '' : ` (request ${String(record.req.id)})`;
  const error = record.err?.stack ?? record.err?.message;
  return `${time} ${level} ${source}: ${record.msg ?? ''}${request}${error === undefined ? '' : `\n${error}`}`;
}

/** A stream pino writes its JSON lines to, that writes them pretty to `out`. */
export function prettyStream(out: NodeJS.WritableStream): Writable {
  let pending = '';
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      pending += chunk.toString();
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      const text = lines.map((line) => `${formatPretty(line)}\n`).join('');
      if (text === '' || out.write(text)) done();
      else out.once('drain', () => done());
    },
  });
}
