// Why a TLS connection to etcd fails. gRPC reports a handshake that went wrong only as "No
// connection established"; one plain TLS handshake with the same files finds the reason the
// operator needs (a CA that did not sign etcd's certificate, an address the certificate does not
// name, a client certificate etcd refused or did not get).
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { connect } from 'node:tls';

export interface TlsFiles {
  /** PEM paths: MCR_ETCD_CA, MCR_ETCD_CERT, MCR_ETCD_KEY (undefined: system CAs, no client certificate). */
  ca?: string;
  cert?: string;
  key?: string;
}

/** TLS 1.3 servers refuse a client certificate after the client's side of the handshake is done. */
const LATE_ALERT_WAIT_MS = 300;

/** "...:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:..." -> "tlsv13 alert certificate required". */
export function readableTlsError(message: string): string {
  const openssl = /SSL routines:[^:]*:([^:]+)/.exec(message);
  return (openssl ? openssl[1] : message).trim();
}

/**
 * One TLS handshake with `endpoint` (host:port). Resolves the handshake's failure, or undefined when
 * it succeeded, or when no TCP connection came up at all (then TLS is not what failed).
 */
export function probeTls(endpoint: string, files: TlsFiles, timeoutMs: number): Promise<string | undefined> {
  const separator = endpoint.lastIndexOf(':');
  const host = endpoint.slice(0, separator).replace(/^\[|\]$/g, '');
  const port = Number(endpoint.slice(separator + 1));
  return new Promise((resolve) => {
    let tcpUp = false;
    let settled = false;
    const socket = connect({
      host,
      port,
      servername: isIP(host) ? undefined : host,
      ca: files.ca === undefined ? undefined : readFileSync(files.ca),
      cert: files.cert === undefined ? undefined : readFileSync(files.cert),
      key: files.key === undefined ? undefined : readFileSync(files.key),
      ALPNProtocols: ['h2'],
    });
    const finish = (reason: string | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      socket.destroy();
      resolve(reason);
    };
    const deadline = setTimeout(() => finish(tcpUp ? `no TLS handshake within ${timeoutMs} ms` : undefined), timeoutMs);
    socket.once('connect', () => (tcpUp = true));
    socket.once('secureConnect', () => setTimeout(() => finish(undefined), LATE_ALERT_WAIT_MS));
    socket.once('error', (error) => finish(tcpUp ? readableTlsError(error.message) : undefined));
  });
}
