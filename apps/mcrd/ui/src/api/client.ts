// The dashboard's only way to the service: JSON over /api/v1 with the tab's bearer token, and
// errors turned into the API's own message so the operator reads what mcrd said.
import { readToken } from './token';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface ApiAnswer<T> {
  body: T;
  etag: string | null;
}

export async function apiRequest<T>(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiAnswer<T>> {
  const token = readToken();
  const response = await fetch(path, {
    method,
    headers: {
      Accept: 'application/json',
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...(token === '' ? {} : { Authorization: `Bearer ${token}` }),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : JSON.parse(text);
  if (!response.ok) throw new ApiError(response.status, errorMessage(response.status, parsed));
  return { body: parsed as T, etag: response.headers.get('ETag') };
}

export function apiGet<T>(path: string): Promise<T> {
  return apiRequest<T>('GET', path).then((answer) => answer.body);
}

function errorMessage(status: number, body: unknown): string {
  const message = (body as { message?: unknown } | undefined)?.message;
  const text = Array.isArray(message) ? message.join('; ') : typeof message === 'string' ? message : `HTTP ${status}`;
  return status === 401 ? `${text} (enter the API token at the top of the page)` : text;
}
