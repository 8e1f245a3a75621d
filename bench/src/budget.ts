// The run's time budget: headline figures first, repeats only while time remains, so the full
// run stays within 10 minutes and --quick within 90 seconds on a slow or noisy machine.
export class Budget {
  private readonly startedAt = Date.now();
  readonly skipped: string[] = [];

  constructor(private readonly limitS: number) {}

  elapsedS(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  /** True when `costS` more seconds still fit; otherwise records what was dropped. */
  allows(costS: number, what: string): boolean {
    if (this.elapsedS() + costS <= this.limitS) return true;
    this.skipped.push(`${what} (at ${this.elapsedS().toFixed(0)} s of ${this.limitS} s)`);
    return false;
  }
}

export function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}
