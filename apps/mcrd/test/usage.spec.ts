// mcrd's command line: configuration is by environment, so only --help and --version are flags.
import { MCRD_USAGE, parseCommandLine } from '../src/config/usage';
import { MCRD_VERSION } from '../src/build-info';
import { CONFIG_KEYS } from '../src/config/load-config';

describe('mcrd command line', () => {
  it('runs with no arguments, answers --help/-h and --version/-V', () => {
    expect(parseCommandLine([])).toEqual({ action: 'run' });
    expect(parseCommandLine(['--help'])).toEqual({ action: 'help' });
    expect(parseCommandLine(['-h'])).toEqual({ action: 'help' });
    expect(parseCommandLine(['--version'])).toEqual({ action: 'version' });
    expect(parseCommandLine(['-V'])).toEqual({ action: 'version' });
  });

  it('refuses anything else, naming what it got and where configuration goes', () => {
    const parsed = parseCommandLine(['--port', '9000']);
    expect(parsed).toEqual({ action: 'usage-error', message: expect.stringContaining("got '--port 9000'") });
    expect(parsed.action === 'usage-error' && parsed.message).toContain('MCR_* environment variables');
  });

  it('lists every environment variable the configuration loader accepts, with the version', () => {
    for (const key of [...CONFIG_KEYS, 'MCR_CONFIG']) expect(MCRD_USAGE).toMatch(new RegExp(`\\b${key}\\b`));
    expect(MCRD_USAGE).toContain(MCRD_VERSION);
  });
});
