// mcrgen's send schedule: datagram i is due at start + i / rate, on an absolute timeline, so
// late wake-ups are caught up and a long run does not drift.
#pragma once

#include <cstdint>
#include <limits>

namespace mcr::tools {

class Pacer {
 public:
  static constexpr uint64_t kUnlimited = std::numeric_limits<uint64_t>::max();

  // rate_pps 0 = as fast as possible: everything is always due.
  explicit Pacer(uint64_t rate_pps) : rate_pps_(rate_pps) {}

  // How many datagrams are due elapsed_ns after the start (datagram 0 is due at 0).
  uint64_t due_by(int64_t elapsed_ns) const;
  // When datagram `index` is due, in ns after the start.
  int64_t due_at_ns(uint64_t index) const;
  // Datagrams that fit in a run of duration_ns: those due strictly before its end.
  uint64_t count_within(int64_t duration_ns) const;

 private:
  uint64_t rate_pps_;
};

}  // namespace mcr::tools
