// Where MCR keeps its state in etcd: everything under `<MCR_ETCD_PREFIX>/<cluster>/`, so several
// clusters (and other applications) share one etcd without seeing each other's keys.
export class EtcdKeys {
  readonly root: string;

  constructor(prefix: string, cluster: string) {
    if (!prefix.startsWith('/')) throw new Error(`MCR_ETCD_PREFIX must start with /, got '${prefix}'`);
    this.root = `${prefix.replace(/\/+$/, '')}/${cluster}`;
  }

  /** One key per relay, holding its JSON without the revision (that is the key's mod revision). */
  get relays(): string {
    return `${this.root}/relays/`;
  }

  relay(id: string): string {
    return `${this.relays}${id}`;
  }

  /** Rewritten by every relay write: a transaction comparing its mod revision sees any concurrent write. */
  get relaysGuard(): string {
    return `${this.root}/relays-guard`;
  }

  /** An import too large for one transaction, committed and being copied to the relay keys (etcd-import.ts). */
  get relaysImport(): string {
    return `${this.root}/relays-import`;
  }

  /** What the relay watch follows: the relay keys, the guard and the import journal. */
  get relaysWatchPrefix(): string {
    return `${this.root}/relays`;
  }

  /** The leadership key: holds the active node's id, attached to that node's lease. */
  get leader(): string {
    return `${this.root}/leader`;
  }

  get members(): string {
    return `${this.root}/members/`;
  }

  member(nodeId: string): string {
    return `${this.members}${nodeId}`;
  }

  /** Present while the node is in maintenance mode (no lease: it outlives restarts of the node). */
  maintenance(nodeId: string): string {
    return `${this.root}/maintenance/${nodeId}`;
  }

  /** MCR_PLACEMENT=relay: one key per owned relay, holding the owner's node id, on the owner's lease. */
  get owners(): string {
    return `${this.root}/owners/`;
  }

  owner(relayId: string): string {
    return `${this.owners}${relayId}`;
  }

  /** A planned handover: names the node the active should hand leadership to. */
  get switchover(): string {
    return `${this.root}/switchover`;
  }

  /** Why that handover was asked for (on the same lease, so both lapse together). */
  get switchoverReason(): string {
    return `${this.root}/switchover-reason`;
  }
}

/** The end of the key range of everything starting with `prefix` (etcd's range_end). */
export function prefixEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if (end[i] < 0xff) {
      end[i] += 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}
