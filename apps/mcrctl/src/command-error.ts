// A failure of a well-formed command that is not the service's answer (an unreadable or
// malformed rules file, an unwritable output file): main prints it and exits 1, like an API error.

export class CommandError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CommandError';
  }
}
