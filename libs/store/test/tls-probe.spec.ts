// probeTls: one TLS handshake that says why the connection to etcd failed, or nothing when TLS is
// not the problem. Handshakes refused over certificates are covered end to end against a real
// etcd (test/mcrd/mcrd-etcd-tls.e2e.spec.ts); here, what needs no PKI.
import { createServer, type AddressInfo, type Server } from 'node:net';
import { probeTls, readableTlsError } from '../src/tls-probe';

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

describe('readableTlsError', () => {
  it("keeps OpenSSL's reason and drops its file and function names", () => {
    const message =
      'C0E7B2F1:error:0A00045C:SSL routines:ssl3_read_bytes:tlsv13 alert certificate required:../deps/openssl/openssl/ssl/record/rec_layer_s3.c:908:SSL alert number 116';
    expect(readableTlsError(message)).toBe('tlsv13 alert certificate required');
  });

  it("leaves Node's own messages as they are", () => {
    expect(readableTlsError('unable to verify the first certificate')).toBe('unable to verify the first certificate');
  });
});

describe('probeTls', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('says nothing when no TCP connection comes up: TLS is not what failed', async () => {
    server = createServer();
    const port = await listen(server);
    await new Promise<void>((resolve) => server!.close(() => resolve()));
    server = undefined;
    await expect(probeTls(`127.0.0.1:${port}`, {}, 1000)).resolves.toBeUndefined();
  });

  it('reports a peer that drops the connection during the handshake', async () => {
    server = createServer((socket) => socket.destroy());
    const port = await listen(server);
    await expect(probeTls(`127.0.0.1:${port}`, {}, 1000)).resolves.toMatch(/disconnected before secure TLS connection/);
  });

  it('reports a peer that never answers the handshake, within the timeout', async () => {
    const held: import('node:net').Socket[] = [];
    server = createServer((socket) => void held.push(socket));
    const port = await listen(server);
    await expect(probeTls(`127.0.0.1:${port}`, {}, 300)).resolves.toBe('no TLS handshake within 300 ms');
    held.forEach((socket) => socket.destroy());
  });
});
