// What to do after a 401: mcrctl knows whether it sent a token, so it can say whether one is
// missing or the one given was refused, and how to pass it.

export function unauthorizedHint(sentToken: boolean): string {
  if (sentToken) {
    return 'the token given (--token or $MCR_TOKEN) was refused: pass the one mcrd has in MCR_API_TOKEN (writes) or MCR_API_TOKEN_READ (reads)';
  }
  return "this service needs a token: pass it with --token TOKEN or the environment variable MCR_TOKEN (the value of mcrd's MCR_API_TOKEN, or MCR_API_TOKEN_READ for reads)";
}
