// Per-batch redundancy decisions for one relay and its per-leg counters.
#include "core/redundancy/redundant_input.h"

#include <utility>

#include "net/clock.h"

namespace mcr {

RedundantInput::RedundantInput(const RedundancySpec& spec, IngressSocket second, int64_t now_ns)
    : second_(std::move(second)),
      key_(spec.key),
      keyer_(spec.key),
      window_(spec.window_ms * kNanosecondsPerMillisecond),
      active_leg_(spec.mode == RedundancyMode::failover ? 0 : -1) {
  if (spec.mode == RedundancyMode::failover) {
    failover_.emplace(spec.loss_ms * kNanosecondsPerMillisecond, spec.revert_ms * kNanosecondsPerMillisecond, now_ns);
  }
}

void RedundantInput::reconfigure(const RedundancySpec& spec, int64_t now_ns) {
  if (spec.key != key_) {
    key_ = spec.key;
    keyer_ = DatagramKeyer(spec.key);
    window_.clear();  // keys of the other kind never match again
  }
  window_.set_window_ns(spec.window_ms * kNanosecondsPerMillisecond);
  const int64_t loss_ns = spec.loss_ms * kNanosecondsPerMillisecond;
  const int64_t revert_ns = spec.revert_ms * kNanosecondsPerMillisecond;
  if (spec.mode == RedundancyMode::merge) {
    failover_.reset();
  } else if (failover_) {
    failover_->set_timing(loss_ns, revert_ns);
  } else {
    failover_.emplace(loss_ns, revert_ns, now_ns);
  }
  active_leg_.store(failover_ ? static_cast<int>(failover_->active()) : -1, std::memory_order_relaxed);
}

unsigned RedundantInput::filter(unsigned leg, Batch& batch, uint64_t bytes, int64_t now_ns) {
  LegCounters& counters = legs_[leg];
  const unsigned received = batch.forwardable();
  counters.leg_packets.add(received);
  counters.leg_bytes.add(bytes);
  counters.last_packet_monotonic_ns.set(now_ns);
  if (failover_ && !failover_->admit(leg, now_ns)) {
    active_leg_.store(static_cast<int>(failover_->active()), std::memory_order_relaxed);
    counters.inactive_leg.add(received);
    return batch.retain([](const iovec&) { return false; });
  }
  if (failover_) active_leg_.store(static_cast<int>(failover_->active()), std::memory_order_relaxed);
  const unsigned kept = batch.retain([&](const iovec& payload) { return admit_copy(leg, payload, now_ns); });
  counters.first_copies.add(kept);
  return kept;
}

// The failover mode runs the window too: right after a switch, the new leg may bring again what
// the old one forwarded last (the legs are skewed), and those copies must not go out twice.
bool RedundantInput::admit_copy(unsigned leg, const iovec& payload, int64_t now_ns) {
  const uint64_t key = keyer_.key_of(static_cast<const std::byte*>(payload.iov_base), payload.iov_len);
  const MergeWindow::Admission admission = window_.admit(key, leg, now_ns);
  if (admission.single_leg_evicted >= 0) legs_[admission.single_leg_evicted].only_this_leg.add(1);
  switch (admission.verdict) {
    case MergeWindow::Verdict::first:
      return true;
    case MergeWindow::Verdict::duplicate:
      legs_[leg].duplicates.add(1);
      return false;
    case MergeWindow::Verdict::too_late:
      legs_[leg].too_late.add(1);
      return false;
  }
  return false;
}

#define MCR_SNAPSHOT_LEG_COUNT(member, name, Live) leg.member = count_of(counters.member);

void RedundantInput::snapshot(RelayStats& stats, int64_t now_ns) const {
  stats.active_leg = active_leg_.load(std::memory_order_relaxed);
  stats.legs.clear();
  for (const LegCounters& counters : legs_) {
    LegStats leg;
    MCR_LEG_COUNTERS(MCR_SNAPSHOT_LEG_COUNT)
    const int64_t last_ns = counters.last_packet_monotonic_ns.get();
    leg.silent_for_ms = last_ns == 0 ? -1 : (now_ns - last_ns) / kNanosecondsPerMillisecond;
    stats.legs.push_back(leg);
  }
}

#undef MCR_SNAPSHOT_LEG_COUNT

}  // namespace mcr
