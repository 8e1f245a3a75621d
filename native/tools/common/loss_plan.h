// Which datagrams one leg of mcrgen's A/B output leaves out, to demonstrate and test redundancy:
// random loss (drawn per datagram, or per burst of datagrams), and an outage window. The draw is
// a hash of the seed and the datagram's number, so a run is reproducible and both legs see the
// same draw: leg A drops the lowest draws, leg B the highest, so their random losses never
// overlap while lossA + lossB <= 1 (with equal burst lengths).
#pragma once

#include <cstdint>
#include <optional>

namespace mcr::tools {

struct LegLoss {
  double rate = 0;                        // fraction of datagrams dropped at random, 0..1
  uint64_t burst = 1;                     // datagrams per loss event
  std::optional<int64_t> outage_from_ns;  // outage window, relative to the start of the run
  int64_t outage_ns = 0;

  bool any() const noexcept { return rate > 0 || outage_from_ns.has_value(); }
};

class LossPlan {
 public:
  enum class Side { low, high };  // leg A drops the lowest draws, leg B the highest

  LossPlan(const LegLoss& loss, uint64_t seed, Side side) : loss_(loss), seed_(seed), side_(side) {}

  // `index`: the datagram's number in the run; `due_ns`: when it is due after the start.
  bool drops(uint64_t index, int64_t due_ns) const noexcept;

  bool any() const noexcept { return loss_.any(); }

 private:
  LegLoss loss_;
  uint64_t seed_;
  Side side_;
};

}  // namespace mcr::tools
