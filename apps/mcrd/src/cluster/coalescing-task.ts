// Runs an async task one pass at a time. A request during a pass makes one more pass follow it
// (the request may postdate what the running pass read); requests never pile up passes.
export class CoalescingTask {
  private running = false;
  private again = false;

  /** `pass` must not reject: it reports its own failures. */
  constructor(private readonly pass: () => Promise<void>) {}

  /** Resolves when the passes this request started are done; at once when it joined a running one. */
  async run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.pass();
      } while (this.again);
    } finally {
      this.running = false;
    }
  }
}
