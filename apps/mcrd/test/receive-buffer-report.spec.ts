// The start-up receive-buffer lines: as requested, capped (naming the sysctl and its value),
// no socket yet; the requested size read from the engine's options; rmem_max read from /proc.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DEFAULT_SOCKET_BUFFER_BYTES,
  readRmemMax,
  receiveBufferLine,
  requestedSocketBufferBytes,
} from '../src/reconciler/receive-buffer-report';

const relay = (rcvbufBytes: number) => ({ id: 'r1', name: 'feed-a', rcvbufBytes });
const MIB = 1024 * 1024;

describe('receiveBufferLine', () => {
  it('is info when the kernel granted the request (it reads back doubled)', () => {
    expect(receiveBufferLine(relay(8 * MIB), 4 * MIB, 4 * MIB)).toEqual({
      level: 'log',
      fields: { relayId: 'r1', relayName: 'feed-a', rcvbufBytes: 8 * MIB, requestedBytes: 4 * MIB },
      message:
        'relay r1 (feed-a): ingress receive buffer 4194304 bytes as requested (SO_RCVBUF reads 8388608, the kernel doubles it)',
    });
  });

  it('warns when capped, naming net.core.rmem_max, its current value and the value to set', () => {
    const line = receiveBufferLine(relay(2 * 212992), 4 * MIB, 212992);
    expect(line.level).toBe('warn');
    expect(line.message).toBe(
      'relay r1 (feed-a): the kernel capped the ingress receive buffer at 212992 bytes, below the 4194304 requested, ' +
        'so bursts overflow sooner (drops.rxqOverflow); raise net.core.rmem_max (now 212992) to at least 4194304 ' +
        '(sysctl -w net.core.rmem_max=4194304) or run mcrd with CAP_NET_ADMIN',
    );
    expect(receiveBufferLine(relay(8 * MIB - 2), 4 * MIB, undefined).message).toContain(
      'raise net.core.rmem_max to at least 4194304',
    );
  });

  it('says so when the relay has no ingress socket yet', () => {
    expect(receiveBufferLine(relay(0), 4 * MIB, 4 * MIB)).toMatchObject({
      level: 'log',
      message: 'relay r1 (feed-a): no ingress socket open yet (its interface is down or gone)',
    });
  });
});

describe('requestedSocketBufferBytes', () => {
  it("takes the engine's option, else the engine default", () => {
    expect(requestedSocketBufferBytes({ options: { socketBufferBytes: 16 * MIB } })).toBe(16 * MIB);
    expect(requestedSocketBufferBytes({})).toBe(DEFAULT_SOCKET_BUFFER_BYTES);
    expect(DEFAULT_SOCKET_BUFFER_BYTES).toBe(4 * MIB);
  });
});

describe('readRmemMax', () => {
  it('reads the sysctl file, and is undefined when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcrd-rmem-'));
    try {
      writeFileSync(join(dir, 'rmem_max'), '212992\n');
      expect(readRmemMax(join(dir, 'rmem_max'))).toBe(212992);
      expect(readRmemMax(join(dir, 'absent'))).toBeUndefined();
      expect(readRmemMax()).toEqual(expect.any(Number));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
