// Running out of file descriptors, through the real addon in a child process under a low
// RLIMIT_NOFILE: the engine's typed error says EMFILE, not that the interface does not exist.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const CHILD = join(__dirname, 'fixtures', 'add-relays-until-refused.js');
const OPEN_FILES_LIMIT = 100;

describe('engine out of file descriptors', () => {
  it('refuses the relay that finds none left with ERR_MCR_SYSTEM and errno EMFILE', () => {
    // Above the ranges the other engine suites use (43000 + up to 8000), below 65535 with room.
    const firstPort = 52000 + (process.pid % 100) * 100;
    const output = execFileSync(
      'prlimit',
      [`--nofile=${OPEN_FILES_LIMIT}:${OPEN_FILES_LIMIT}`, process.execPath, CHILD, String(firstPort)],
      { encoding: 'utf8' },
    );
    const refused = JSON.parse(output) as Record<string, unknown>;
    // Which call finds the table full (an interface lookup, a socket) depends on Node's own use.
    expect(refused).toMatchObject({ name: 'EngineError', code: 'ERR_MCR_SYSTEM', errno: 'EMFILE' });
    expect(refused.message).toMatch(/\(Too many open files\)$/);
    expect(refused.message).not.toMatch(/unknown interface/);
    // Two descriptors per one-output relay: most of the limit went to relays before the refusal.
    expect(refused.added).toBeGreaterThan(10);
  });
});
