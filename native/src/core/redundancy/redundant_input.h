// The redundancy state of one relay: the B leg's ingress socket, counters per leg, and the
// merge window or failover selector. Owned by the relay and used only by the relay's worker, so
// nothing here takes a lock; the engine thread reads only the counters and active_leg.
#pragma once

#include <sys/uio.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <optional>

#include "core/batch.h"
#include "core/counters.h"
#include "core/ingress_socket.h"
#include "core/redundancy/datagram_key.h"
#include "core/redundancy/failover_selector.h"
#include "core/redundancy/merge_window.h"
#include "core/relay_spec.h"
#include "core/stats.h"

namespace mcr {

class RedundantInput {
 public:
  static constexpr unsigned kLegs = 2;  // 0 = input, 1 = redundancy.input

  // `second` is the open B-leg socket; `now_ns` (monotonic) starts the failover silence clock.
  RedundantInput(const RedundancySpec& spec, IngressSocket second, int64_t now_ns);

  // Removes from `batch` (just received on `leg`) what must not be forwarded: later copies
  // (merge), or the inactive leg's datagrams (failover, where copies the newly active leg brings
  // again right after a switch are removed too). Counts per leg. Returns the datagrams left.
  unsigned filter(unsigned leg, Batch& batch, uint64_t bytes, int64_t now_ns);

  // Worker only: new settings for the same legs. The window keeps its keys unless the key kind
  // changed, the failover selector its active leg unless the mode changed.
  void reconfigure(const RedundancySpec& spec, int64_t now_ns);

  IngressSocket& second() noexcept { return second_; }
  // The relay's worker only (the stream analysis publishes its numbers here).
  LegCounters& leg_counters(unsigned leg) noexcept { return legs_[leg]; }
  const IngressSocket& second() const noexcept { return second_; }

  void snapshot(RelayStats& stats, int64_t now_ns) const;

 private:
  bool admit_copy(unsigned leg, const iovec& payload, int64_t now_ns);

  IngressSocket second_;
  RedundancyKey key_;
  DatagramKeyer keyer_;
  MergeWindow window_;
  std::optional<FailoverSelector> failover_;
  std::array<LegCounters, kLegs> legs_;
  std::atomic<int> active_leg_;  // failover: mirrors failover_->active() for snapshots; -1 for merge
};

}  // namespace mcr
