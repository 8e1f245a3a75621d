// How mcrd connects to etcd: MCR_STORE's etcd:// / etcds:// URL plus the TLS and auth settings,
// turned into etcd3 client options with unary deadlines and bounded retries (never a hang).
import { readFileSync } from 'node:fs';
import { ConsecutiveBreaker, circuitBreaker, handleWhen, isBrokenCircuitError, retry } from 'cockatiel';
import { Etcd3, isRecoverableError, type IOptions } from 'etcd3';

/** Deadline of every unary call (not of watch or keepalive streams, which live for long). */
export const DEFAULT_ETCD_CALL_TIMEOUT_MS = 2_000;
/** A member that failed this many calls in a row is skipped ... */
const BREAKER_FAILURES = 2;
/** ... for this long, then tried again (half-open). */
const BREAKER_HALF_OPEN_MS = 1_000;
/** Each call is tried on at most this many more members before failing. */
const CALL_RETRIES = 2;

export interface EtcdConnectionOptions {
  /** `etcd://host:port[,host:port...]` or `etcds://...` (TLS). */
  url: string;
  /** PEM file paths (MCR_ETCD_CA / _CERT / _KEY). */
  ca?: string;
  cert?: string;
  key?: string;
  user?: string;
  password?: string;
  callTimeoutMs?: number;
}

export interface EtcdEndpoints {
  tls: boolean;
  /** `http(s)://host:port` as etcd3 wants them. */
  hosts: string[];
}

/** True when MCR_STORE names etcd (HA cluster) rather than a file. */
export function isEtcdUrl(url: string): boolean {
  return url.startsWith('etcd://') || url.startsWith('etcds://');
}

/** Parses an etcd store URL; throws naming the value when it is not one. */
export function parseEtcdUrl(url: string): EtcdEndpoints {
  const match = /^(etcds?):\/\/(.+)$/.exec(url);
  if (match === null)
    throw new Error(`MCR_STORE '${url}' is not an etcd URL: use etcd://host:port[,host:port...] or etcds://...`);
  const tls = match[1] === 'etcds';
  const hosts = match[2]
    .replace(/\/+$/, '')
    .split(',')
    .map((endpoint) => endpoint.trim());
  for (const endpoint of hosts) {
    if (!/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/.test(endpoint)) {
      throw new Error(`MCR_STORE '${url}': endpoint '${endpoint}' is not host:port`);
    }
  }
  return { tls, hosts: hosts.map((endpoint) => `${tls ? 'https' : 'http'}://${endpoint}`) };
}

/** etcd3 client options for `options`; reads the PEM files now so a bad path stops start-up. */
export function etcdClientOptions(options: EtcdConnectionOptions): IOptions {
  const { tls, hosts } = parseEtcdUrl(options.url);
  const timeoutMs = options.callTimeoutMs ?? DEFAULT_ETCD_CALL_TIMEOUT_MS;
  const client: IOptions = {
    hosts,
    dialTimeout: timeoutMs,
    // A deadline on a stream would also end the watch and the lease keepalive: unary calls only.
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + timeoutMs }),
    faultHandling: {
      host: () =>
        circuitBreaker(handleWhen(isRecoverableError), {
          halfOpenAfter: BREAKER_HALF_OPEN_MS,
          breaker: new ConsecutiveBreaker(BREAKER_FAILURES),
        }),
      global: retry(handleWhen(isRecoverableError), { maxAttempts: CALL_RETRIES }),
    },
  };
  if (options.ca !== undefined || options.cert !== undefined || options.key !== undefined) {
    if (!tls) throw new Error(`MCR_STORE '${options.url}': MCR_ETCD_CA/CERT/KEY need an etcds:// URL`);
    if ((options.cert === undefined) !== (options.key === undefined)) {
      throw new Error('MCR_ETCD_CERT and MCR_ETCD_KEY must be set together (client certificate and its key)');
    }
    client.credentials = {
      rootCertificate: readPem('MCR_ETCD_CA', options.ca),
      ...(options.cert === undefined ? {} : { certChain: readPem('MCR_ETCD_CERT', options.cert) }),
      ...(options.key === undefined ? {} : { privateKey: readPem('MCR_ETCD_KEY', options.key) }),
    };
  }
  if (options.user !== undefined || options.password !== undefined) {
    if (options.user === undefined || options.password === undefined) {
      throw new Error('MCR_ETCD_USER and MCR_ETCD_PASSWORD must be set together');
    }
    client.auth = { username: options.user, password: options.password };
  }
  return client;
}

export function createEtcdClient(options: EtcdConnectionOptions): Etcd3 {
  return new Etcd3(etcdClientOptions(options));
}

/** True for errors that mean "etcd cannot be reached now" (not a refused request). */
export function isEtcdUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (isRecoverableError(error) || isBrokenCircuitError(error)) return true;
  return /deadline|UNAVAILABLE|ECONNREFUSED|circuit breaker|client was already closed/i.test(
    `${error.name} ${error.message}`,
  );
}

/** grpc-js treats a null root certificate as "use the system's CAs". */
function readPem(variable: string, path: string | undefined): Buffer {
  if (path === undefined) return null as unknown as Buffer;
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`${variable} '${path}' cannot be read: ${(error as Error).message}`);
  }
}
