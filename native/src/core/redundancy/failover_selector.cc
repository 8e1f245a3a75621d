// The failover decision: switch on silence of the active leg, revert after a stable primary.
#include "core/redundancy/failover_selector.h"

namespace mcr {

FailoverSelector::FailoverSelector(int64_t loss_ns, int64_t revert_ns, int64_t start_ns)
    : loss_ns_(loss_ns), revert_ns_(revert_ns), last_ns_{start_ns, start_ns}, alive_since_ns_{start_ns, start_ns} {}

bool FailoverSelector::silent(unsigned leg, int64_t now_ns) const noexcept {
  return now_ns - last_ns_[leg] >= loss_ns_;
}

bool FailoverSelector::admit(unsigned leg, int64_t now_ns) noexcept {
  if (silent(leg, now_ns)) alive_since_ns_[leg] = now_ns;  // back after a gap: a new run starts
  if (leg != active_) {
    const bool active_lost = silent(active_, now_ns);
    const bool primary_settled = leg == kPrimary && revert_ns_ > 0 && now_ns - alive_since_ns_[kPrimary] >= revert_ns_;
    if (active_lost || primary_settled) active_ = leg;
  }
  last_ns_[leg] = now_ns;
  return leg == active_;
}

}  // namespace mcr
