// MCR's full service: mcrd started in the relay namespace on a fresh file store, relays created
// through POST /api/v1/relays (the path an operator takes), CPU charged to the mcrd process.
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { run, start, stop } from '../proc';
import { PINNING, pinnedInNs, RELAY_NS, nsExec } from '../topology';
import { programConfig } from './program';
import type { RelayUnderTest, Route, RunningRelay } from './relay';

const MCRD_PORT = 18080;
/**
 * V8's memory reducer compacts a freshly started mcrd's heap (about 62 MB down to 29 MB) 8-10 s
 * after start, in three 6-15 ms mark-compacts whose threads share the relay CPU here. An
 * operator's mcrd is long past that, and an idle one does not collect at all afterwards.
 */
const MCRD_SETTLE_S = 10;
const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const MCRD_MAIN = path.join(REPO_ROOT, 'apps', 'mcrd', 'dist', 'main.js');

export const mcrdRelay: RelayUnderTest = {
  kind: 'mcrd',
  label: 'MCR service (mcrd)',
  rewritesGroup: true,
  maxOutputs: Number.MAX_SAFE_INTEGER,
  settleS: MCRD_SETTLE_S,
  async start(routes: Route[], workDir: string): Promise<RunningRelay> {
    const store = path.join(workDir, 'mcrd-relays.json');
    rmSync(store, { force: true });
    const env = {
      ...process.env,
      MCR_HTTP_HOST: '127.0.0.1',
      MCR_HTTP_PORT: String(MCRD_PORT),
      MCR_STORE: `file:${store}`,
      MCR_LOG_LEVEL: 'warn',
    };
    const [cmd, args] = pinnedInNs(RELAY_NS, PINNING.relayCpu, process.execPath, [MCRD_MAIN]);
    const daemon = start(cmd, args, env);
    const configFile = path.join(workDir, 'mcrd-routes.json');
    writeFileSync(configFile, JSON.stringify(programConfig(routes)));
    const client = path.join(__dirname, '..', 'programs', 'mcrd-client.js');
    try {
      const [ccmd, cargs] = nsExec(RELAY_NS, process.execPath, [client, `http://127.0.0.1:${MCRD_PORT}`, configFile]);
      await run(ccmd, cargs);
    } catch (error) {
      const exit = await stop(daemon);
      throw new Error(
        `mcrd did not take the relays: ${String(error)}\nmcrd output: ${(exit.stdout + exit.stderr).trim().slice(-2000)}`,
      );
    }
    return { pids: () => [daemon.pid], stop: async () => void (await stop(daemon, 8000)) };
  },
};
