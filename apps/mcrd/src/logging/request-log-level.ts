// How loud one API request is in the log. Reads are routine (a `stats --watch` polls every second,
// the dashboard every few), so they go at debug; a change of configuration is what an operator
// looks for afterwards, so writes stay at info; refused credentials are a warning whatever the
// method (a wrong token in a script should not hide at debug); a 5xx is an error.
import type { LevelWithSilent } from 'pino';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function requestLogLevel(method: string | undefined, status: number, failed: boolean): LevelWithSilent {
  if (failed || status >= 500) return 'error';
  if (status === 401 || status === 403) return 'warn';
  return READ_METHODS.has((method ?? '').toUpperCase()) ? 'debug' : 'info';
}
