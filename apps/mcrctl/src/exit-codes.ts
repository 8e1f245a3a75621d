// mcrctl's exit codes, one table for the entry point, the commands and the help text.

export const EXIT_OK = 0;
export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;
/** `diag` ran and found something to fix (an error or a warning), so scripts and probes can act. */
export const EXIT_FINDINGS = 3;
/** What shells report for a command ended by Ctrl-C (128 + SIGINT). */
export const EXIT_INTERRUPTED = 130;

/** The help text's lines, in the order of the codes. */
export const EXIT_CODE_HELP = [
  `${EXIT_OK}  success`,
  `${EXIT_API_ERROR}  the service answered with an error, or could not be reached`,
  `${EXIT_USAGE}  usage error (bad command, flag or value)`,
  `${EXIT_FINDINGS}  diag found an error or a warning on a relay`,
];
