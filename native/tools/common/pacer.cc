// Schedule arithmetic for the pacer, split into whole seconds and remainders so that neither
// multiplication overflows 64 bits (rate <= 1e9, elapsed < 1e9 in the remainder term).
#include "common/pacer.h"

#include "net/clock.h"

namespace mcr::tools {

uint64_t Pacer::due_by(int64_t elapsed_ns) const {
  if (rate_pps_ == 0) return kUnlimited;
  if (elapsed_ns < 0) return 0;
  const auto elapsed = static_cast<uint64_t>(elapsed_ns);
  const auto second = static_cast<uint64_t>(kNanosecondsPerSecond);
  return (elapsed / second) * rate_pps_ + (elapsed % second) * rate_pps_ / second + 1;
}

int64_t Pacer::due_at_ns(uint64_t index) const {
  if (rate_pps_ == 0) return 0;
  const auto second = static_cast<uint64_t>(kNanosecondsPerSecond);
  // Round up, so that due_by(due_at_ns(i)) > i: a sleep until due_at_ns(i) always makes i due.
  const uint64_t remainder_ns = ((index % rate_pps_) * second + rate_pps_ - 1) / rate_pps_;
  return static_cast<int64_t>((index / rate_pps_) * second + remainder_ns);
}

uint64_t Pacer::count_within(int64_t duration_ns) const {
  if (rate_pps_ == 0) return kUnlimited;
  if (duration_ns <= 0) return 0;
  // Datagram i fits when i / rate < duration: ceil(duration * rate) of them.
  const auto duration = static_cast<uint64_t>(duration_ns);
  const auto second = static_cast<uint64_t>(kNanosecondsPerSecond);
  return (duration / second) * rate_pps_ + ((duration % second) * rate_pps_ + second - 1) / second;
}

}  // namespace mcr::tools
