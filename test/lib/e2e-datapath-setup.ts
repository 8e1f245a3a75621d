// Jest setupFilesAfterEnv of the e2e suites: after each suite file in the eBPF pass
// (MCR_E2E_DATAPATH=ebpf), fails it when the relays it saw all ran on sockets (lib/datapath.ts).
import path from 'node:path';
import { checkSuiteSawEbpf } from './datapath';

afterAll(() => {
  checkSuiteSawEbpf(path.relative(path.resolve(__dirname, '..'), expect.getState().testPath ?? 'this suite'));
});
