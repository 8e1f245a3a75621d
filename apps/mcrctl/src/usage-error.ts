// The error for a command line mcrctl cannot act on (unknown command, bad flag or value): main
// prints its message with a hint to --help and exits 2, never touching the service.

export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose help the hint points to, when known. */
    readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
