// tryLockExclusive through the addon: one open file holds the lock, another waits for its close,
// and a descriptor that is not open is an EngineError with its errno.
import { closeSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EngineError, tryLockExclusive } from '../src';

describe('tryLockExclusive', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'mcr-file-lock-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('is held by one open file of a path until that one closes', () => {
    const path = join(dir, 'store.lock');
    const first = openSync(path, 'a+');
    const second = openSync(path, 'a+');
    try {
      expect(tryLockExclusive(first)).toBe(true);
      expect(tryLockExclusive(second)).toBe(false);
      closeSync(first);
      expect(tryLockExclusive(second)).toBe(true);
    } finally {
      closeSync(second);
    }
  });

  it('throws ERR_MCR_SYSTEM with EBADF for a descriptor that is not open', () => {
    const refused = (() => {
      try {
        return tryLockExclusive(1_000_000);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(EngineError);
    expect(refused).toMatchObject({ code: 'ERR_MCR_SYSTEM', errno: 'EBADF' });
  });
});
