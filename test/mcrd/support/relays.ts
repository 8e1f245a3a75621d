// Relay bodies for the end-to-end suites, on the standard topology's interfaces.
export function relayBody(
  name: string,
  port: number,
  outputs: { interface: string; group: string; port: number }[] = [
    { interface: 'out0', group: '239.2.2.2', port: port + 1000 },
  ],
) {
  return { name, input: { interface: 'in0', group: '239.1.1.1', port }, outputs };
}
