// The start-up comparison of the relays' file descriptors with the open-files limit, and the
// limit as read from /proc/self/limits.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { descriptors } from '@mcr/contract';
import {
  descriptorBudgetLine,
  isDescriptorErrno,
  readOpenFilesLimit,
  relayDescriptors,
} from '../src/reconciler/descriptor-budget';

const oneOutput = { outputs: [{ interface: 'eth1', group: '239.2.2.2', port: 6000 }] };
const threeOutputs = { outputs: [oneOutput.outputs[0], oneOutput.outputs[0], oneOutput.outputs[0]] };

describe('descriptor budget', () => {
  it('costs one descriptor per relay and one per output (two for a one-output relay)', () => {
    expect(relayDescriptors([oneOutput])).toBe(2);
    expect(relayDescriptors([oneOutput, threeOutputs])).toBe(6);
  });

  it('warns when the limit cannot hold the relays plus the reserve, naming both and what to raise', () => {
    const relays = Array.from({ length: 300 }, () => oneOutput);
    const line = descriptorBudgetLine(relays, 400);
    expect(line.level).toBe('warn');
    expect(line.fields).toEqual({
      relays: 300,
      relayDescriptors: 600,
      reserve: descriptors.reserve,
      openFilesLimit: 400,
    });
    expect(line.message).toContain('the open-files limit (RLIMIT_NOFILE) is 400, but the 300 relays need 600');
    expect(line.message).toContain(`Raise it to at least ${600 + descriptors.reserve} (LimitNOFILE=`);
  });

  it('only logs when the limit holds them, or cannot be read', () => {
    expect(descriptorBudgetLine([oneOutput], 65536).level).toBe('log');
    expect(descriptorBudgetLine([oneOutput], undefined).level).toBe('log');
  });

  it('reads the soft limit from /proc/self/limits, and nothing from "unlimited" or a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mcrd-limits-'));
    try {
      const file = join(dir, 'limits');
      const header = 'Limit                     Soft Limit           Hard Limit           Units     \n';
      writeFileSync(file, `${header}Max open files            400                  4096                 files     \n`);
      expect(readOpenFilesLimit(file)).toBe(400);
      writeFileSync(file, `${header}Max open files            unlimited            unlimited            files     \n`);
      expect(readOpenFilesLimit(file)).toBeUndefined();
      expect(readOpenFilesLimit(join(dir, 'missing'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(readOpenFilesLimit()).toBeGreaterThan(0); // this process's own
  });

  it('counts EMFILE and ENFILE as running out of descriptors, and nothing else', () => {
    expect(isDescriptorErrno('EMFILE')).toBe(true);
    expect(isDescriptorErrno('ENFILE')).toBe(true);
    expect(isDescriptorErrno('ENODEV')).toBe(false);
    expect(isDescriptorErrno(undefined)).toBe(false);
  });
});
