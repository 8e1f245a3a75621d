// How many programs are attached to an interface's tcx ingress, asked of the kernel itself
// (bpf(2) BPF_PROG_QUERY through Python's ctypes: Debian 12's bpftool predates tcx).
import { run, type NetNs } from './netns';

const QUERY = `
import ctypes, socket, sys
BPF_PROG_QUERY, BPF_TCX_INGRESS, NR_BPF = 16, 46, 321
attr = (ctypes.c_uint8 * 128)()
ctypes.c_uint32.from_buffer(attr, 0).value = socket.if_nametoindex(sys.argv[1])
ctypes.c_uint32.from_buffer(attr, 4).value = BPF_TCX_INGRESS
libc = ctypes.CDLL(None, use_errno=True)
if libc.syscall(NR_BPF, BPF_PROG_QUERY, attr, 128) != 0:
    sys.exit("BPF_PROG_QUERY: errno %d" % ctypes.get_errno())
print(ctypes.c_uint32.from_buffer(attr, 24).value)
`;

/** Programs on `ifname`'s tcx ingress inside `ns` (x86-64: bpf is system call 321). */
export async function tcxIngressPrograms(ns: NetNs, ifname: string): Promise<number> {
  const { stdout } = await ns.run('python3', ['-c', QUERY, ifname]);
  return Number(stdout.trim());
}

/** Programs on `ifname`'s tcx ingress in the namespace this process runs in. */
export async function tcxIngressProgramsHere(ifname: string): Promise<number> {
  const { stdout } = await run('python3', ['-c', QUERY, ifname]);
  return Number(stdout.trim());
}
