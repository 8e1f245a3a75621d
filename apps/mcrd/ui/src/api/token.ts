// The operator's API token, kept for this browser tab only (sessionStorage): it is gone when
// the tab closes and never shared with other tabs or written to disk by the page.
const TOKEN_KEY = 'mcr.apiToken';

export function readToken(): string {
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function saveToken(token: string): void {
  if (token === '') sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}
