// Tracks shutdown: once SIGTERM arrives readiness turns 503 while in-flight requests finish.
import { Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';

@Injectable()
export class Lifecycle implements BeforeApplicationShutdown {
  private stopping = false;

  get shuttingDown(): boolean {
    return this.stopping;
  }

  beforeApplicationShutdown(signal?: string): void {
    this.stopping = true;
    new Logger('Lifecycle').log(
      `shutting down${signal === undefined ? '' : ` on ${signal}`}: readiness is now 503, draining requests`,
    );
  }
}
