// Logs each distinct problem once until the next success clears the slate: an etcd outage seen on
// every tick of every timer is one warning, not one per tick, and it is logged again if it returns
// after a renewal went through.
import type { LoggerService } from '@nestjs/common';

export class ProblemLog {
  private readonly logged = new Set<string>();

  constructor(private readonly logger: Pick<LoggerService, 'warn'>) {}

  /** Warns about `message` unless it was already logged since the last clear(). */
  report(message: string): void {
    if (this.logged.has(message)) return;
    this.logged.add(message);
    this.logger.warn(message);
  }

  /** Something succeeded: the next occurrence of any problem is news again. */
  clear(): void {
    this.logged.clear();
  }
}
