// Which leg a failover relay forwards: the primary (leg 0) until it has been silent for lossMs
// while the other leg brings datagrams; then the other leg, until it goes silent in turn or,
// with revertMs > 0, until the primary has been alive that long again. Decided per received
// batch from the batch's leg and the time, which the caller passes in (CLOCK_MONOTONIC ns in the
// engine, a fake clock in tests). The relay's worker is its only user.
#pragma once

#include <array>
#include <cstdint>

namespace mcr {

class FailoverSelector {
 public:
  static constexpr unsigned kPrimary = 0;

  // `start_ns`: when the relay opened; silence on the primary counts from then.
  FailoverSelector(int64_t loss_ns, int64_t revert_ns, int64_t start_ns);

  // Notes that `leg` received datagrams at `now_ns`; true when they are to be forwarded.
  bool admit(unsigned leg, int64_t now_ns) noexcept;

  unsigned active() const noexcept { return active_; }

  // New lossMs / revertMs; the active leg and the legs' history stay.
  void set_timing(int64_t loss_ns, int64_t revert_ns) noexcept {
    loss_ns_ = loss_ns;
    revert_ns_ = revert_ns;
  }

 private:
  bool silent(unsigned leg, int64_t now_ns) const noexcept;

  int64_t loss_ns_;
  int64_t revert_ns_;  // 0 = never revert
  unsigned active_ = kPrimary;
  std::array<int64_t, 2> last_ns_;         // the leg's last datagram (start time before any)
  std::array<int64_t, 2> alive_since_ns_;  // start of the leg's current run without a lossMs gap
};

}  // namespace mcr
