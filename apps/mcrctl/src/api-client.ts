// Typed wrapper over global fetch for the MCR REST API: adds the bearer token, a timeout, and
// turns every failure into ApiError (the service answered with an error) or
// ServiceUnreachableError (it did not answer at all), each with a message an operator can act on.
import { unixSocketFetch } from './unix-socket-fetch';

/** An error answer of the service; `messages` keeps each validation message separately. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly messages: string[],
  ) {
    super(messages.length > 0 ? messages.join('; ') : `${status} ${error}`);
    this.name = 'ApiError';
  }
}

/** No HTTP answer: connection refused, DNS failure, timeout, TLS failure. */
export class ServiceUnreachableError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`service unreachable at ${url}: ${reason}`);
    this.name = 'ServiceUnreachableError';
  }
}

export interface ApiClientOptions {
  /** Base URL of the service, e.g. http://127.0.0.1:8080 (a path prefix is kept). */
  baseUrl: string;
  /** A Unix socket to reach the service through (mcrd's MCR_HTTP_SOCKET) instead of the URL's host. */
  socketPath?: string;
  /** Bearer token for MCR_API_TOKEN / MCR_API_TOKEN_READ protected routes. */
  token?: string;
  /** Per-request limit; a hung service must not hang the operator's shell. */
  timeoutMs?: number;
  fetchImpl?: typeof fetch;
  /** Aborts every request in flight (Ctrl-C); the AbortError then propagates unchanged. */
  signal?: AbortSignal;
}

const DEFAULT_TIMEOUT_MS = 10_000;

interface RequestOptions {
  body?: string;
  contentType?: string;
  accept?: string;
  ifMatch?: string;
}

/** RFC 7396: what PATCH /api/v1/relays/{id} reads. */
const MERGE_PATCH_TYPE = 'application/merge-patch+json';

export class ApiClient {
  private readonly baseUrl: string;
  private readonly socketPath?: string;
  private readonly token?: string;
  private readonly timeoutMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly signal?: AbortSignal;

  constructor(options: ApiClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.socketPath = options.socketPath;
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.fetchImpl =
      options.fetchImpl ?? (options.socketPath === undefined ? fetch : unixSocketFetch(options.socketPath));
    this.signal = options.signal;
  }

  /** Where the service is, as the operator gave it, for messages. */
  get url(): string {
    return this.socketPath === undefined ? this.baseUrl : `unix:${this.socketPath}`;
  }

  /** Whether requests carry a bearer token (for the advice after a 401). */
  get hasToken(): boolean {
    return this.token !== undefined && this.token !== '';
  }

  async getJson<T>(path: string): Promise<T> {
    return (await this.request('GET', path, { accept: 'application/json' })).json() as Promise<T>;
  }

  async getText(path: string): Promise<string> {
    return (await this.request('GET', path, {})).text();
  }

  async postJson<T>(path: string, body: unknown): Promise<T> {
    const response = await this.request('POST', path, {
      body: JSON.stringify(body),
      contentType: 'application/json',
      accept: 'application/json',
    });
    return readJsonBody<T>(response);
  }

  async postText<T>(path: string, body: string, contentType: string): Promise<T> {
    const response = await this.request('POST', path, { body, contentType, accept: 'application/json' });
    return readJsonBody<T>(response);
  }

  /** A JSON merge patch; with `ifMatch` (an ETag) the service refuses it (412) if the resource changed. */
  async patchJson<T>(path: string, patch: unknown, ifMatch?: string): Promise<T> {
    const response = await this.request('PATCH', path, {
      body: JSON.stringify(patch),
      contentType: MERGE_PATCH_TYPE,
      accept: 'application/json',
      ifMatch,
    });
    return readJsonBody<T>(response);
  }

  async delete(path: string): Promise<void> {
    await this.request('DELETE', path, {});
  }

  private async request(method: string, path: string, options: RequestOptions): Promise<Response> {
    const headers: Record<string, string> = {};
    if (options.accept) headers.accept = options.accept;
    if (options.contentType) headers['content-type'] = options.contentType;
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await this.fetchImpl(this.baseUrl + path, {
        method,
        headers,
        body: options.body,
        signal: this.signal ? AbortSignal.any([timeout, this.signal]) : timeout,
      });
    } catch (error) {
      if (this.signal?.aborted) throw error;
      throw new ServiceUnreachableError(this.url, describeFetchFailure(error, this.timeoutMs));
    }
    if (!response.ok) throw await apiErrorFrom(response);
    return response;
  }
}

/** 204 and empty bodies become undefined rather than a JSON syntax error. */
async function readJsonBody<T>(response: Response): Promise<T> {
  const text = await response.text();
  return (text.length === 0 ? undefined : JSON.parse(text)) as T;
}

/** Reads the service's `{statusCode, error, message}` body, tolerating proxies that send HTML. */
export async function apiErrorFrom(response: Response): Promise<ApiError> {
  const text = await response.text().catch(() => '');
  const fallbackError = response.statusText || 'Error';
  try {
    const body: unknown = JSON.parse(text);
    if (body !== null && typeof body === 'object') {
      const { error, message } = body as { error?: unknown; message?: unknown };
      const messages = Array.isArray(message)
        ? message.map((m) => String(m))
        : typeof message === 'string'
          ? [message]
          : [];
      return new ApiError(response.status, typeof error === 'string' ? error : fallbackError, messages);
    }
  } catch {
    // not JSON: fall through to the raw text
  }
  const snippet = text.trim().slice(0, 200);
  return new ApiError(response.status, fallbackError, snippet ? [snippet] : []);
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Structural, not instanceof: fetch's errors may come from another realm (e.g. under jest). */
function asErrorLike(value: unknown): ErrorLike | undefined {
  return value !== null && typeof value === 'object' ? value : undefined;
}

/** fetch hides the socket error in `cause`; the operator wants "connect ECONNREFUSED ...". */
export function describeFetchFailure(error: unknown, timeoutMs: number): string {
  const outer = asErrorLike(error);
  if (outer === undefined) return String(error);
  if (outer.name === 'TimeoutError' || outer.name === 'AbortError') {
    return `no answer within ${timeoutMs / 1000} s`;
  }
  const cause = asErrorLike(outer.cause);
  // Happy-eyeballs connects (localhost -> ::1 and 127.0.0.1) report an AggregateError.
  const first = Array.isArray(cause?.errors) ? asErrorLike(cause.errors[0]) : undefined;
  for (const candidate of [first, cause, outer]) {
    if (candidate?.message === 'bad port') {
      // The Fetch standard refuses some ports (e.g. 6000, 6665-6669) whatever listens there.
      return "fetch refuses this port (a 'bad port' of the Fetch standard); serve the API on another port";
    }
    if (typeof candidate?.message === 'string' && candidate.message !== '') return candidate.message;
  }
  return String(error);
}
