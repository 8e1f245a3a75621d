// The data-plane half of an HA node: samples this node's input liveness, says when its live-input
// count should be published (in the member record, on change, at most every
// LIVENESS_PUBLISH_MIN_MS), and, while this node leads, hands the lead to a peer that has been
// receiving more (decideHandover) through the planned switchover path that HaNode provides.
import type { LoggerService } from '@nestjs/common';
import { decideHandover } from './handover-decision';
import { InputLiveness, type InputSnapshot, type LivenessSummary } from './input-liveness';
import type { MemberRecord } from './leadership-store';

/** How often the engine's receive counters are sampled for input liveness. */
export const LIVENESS_POLL_MS = 50;
/** A changed live-input count is published at most this often (one member-record put each). */
export const LIVENESS_PUBLISH_MIN_MS = 100;
/**
 * How long a peer must have had strictly more live inputs before the active hands over: longer
 * than a peer needs to notice the same silence and publish it (one poll + the publish interval +
 * an etcd put + the watch), so a source that stops everywhere never moves the lead.
 */
export const HANDOVER_HOLD_DOWN_MS = 300;

export interface InputHandoverOptions {
  nodeId: string;
  /** Every relay's receive counter as the engine holds it now. */
  inputs: () => InputSnapshot;
  /** Writes the member record again (it carries `publishedLive`). */
  publish: () => void;
  /** The planned switchover to `to`: this node stops forwarding, then resigns. */
  handOver: (to: string) => Promise<void>;
  logger: Pick<LoggerService, 'warn'>;
}

export class InputHandover {
  private readonly liveness = new InputLiveness();
  private latest: LivenessSummary = { live: 0, total: 0 };
  private published = { live: 0, atMs: Number.NEGATIVE_INFINITY };
  private worseSinceMs?: number;
  private handingOver = false;

  constructor(private readonly options: InputHandoverOptions) {}

  /** This node's input liveness as last sampled. */
  get summary(): LivenessSummary {
    return this.latest;
  }

  /** The live-input count the member record carries. */
  get publishedLive(): number {
    return this.published.live;
  }

  /** One sample at `nowMs` (monotonic); `leading`: this node forwards and no handover is pending. */
  poll(nowMs: number, leading: boolean, members: readonly MemberRecord[]): void {
    const summary = this.liveness.sample(nowMs, this.options.inputs());
    this.latest = summary;
    if (summary.live !== this.published.live && nowMs - this.published.atMs >= LIVENESS_PUBLISH_MIN_MS) {
      this.published = { live: summary.live, atMs: nowMs };
      this.options.publish();
    }
    this.considerHandover(nowMs, leading && !this.handingOver, members);
  }

  private considerHandover(nowMs: number, leading: boolean, members: readonly MemberRecord[]): void {
    const { nodeId } = this.options;
    const summary = this.latest;
    const decision = decideHandover({
      nowMs,
      holdDownMs: HANDOVER_HOLD_DOWN_MS,
      leading,
      liveInputs: summary.live,
      peers: members.filter((member) => member.nodeId !== nodeId),
      worseSinceMs: this.worseSinceMs,
    });
    this.worseSinceMs = decision.worseSinceMs;
    if (decision.to === undefined) return;
    const { to } = decision;
    const silentMs = Math.round(summary.silentForMs ?? to.worseForMs);
    const reason =
      `input silent on ${nodeId} for ${silentMs} ms (${summary.live} of ${summary.total} inputs alive), ` +
      `alive on ${to.nodeId} (${to.liveInputs})`;
    this.options.logger.warn({ event: 'cluster.handover', to: to.nodeId, reason }, `handing over: ${reason}`);
    this.handingOver = true;
    this.worseSinceMs = undefined;
    void this.options.handOver(to.nodeId).finally(() => (this.handingOver = false));
  }
}
