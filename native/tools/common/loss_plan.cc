// The per-datagram loss decision: an outage window, then a seeded uniform draw per burst.
#include "common/loss_plan.h"

namespace mcr::tools {
namespace {

// splitmix64: a well-mixed 64-bit value for each input, the same on every run.
uint64_t mix(uint64_t value) noexcept {
  value += 0x9E3779B97F4A7C15ULL;
  value = (value ^ (value >> 30)) * 0xBF58476D1CE4E5B9ULL;
  value = (value ^ (value >> 27)) * 0x94D049BB133111EBULL;
  return value ^ (value >> 31);
}

}  // namespace

bool LossPlan::drops(uint64_t index, int64_t due_ns) const noexcept {
  if (loss_.outage_from_ns && due_ns >= *loss_.outage_from_ns && due_ns < *loss_.outage_from_ns + loss_.outage_ns) {
    return true;
  }
  if (loss_.rate <= 0) return false;
  const double draw = static_cast<double>(mix(seed_ ^ mix(index / loss_.burst)) >> 11) * 0x1.0p-53;  // [0, 1)
  return side_ == Side::low ? draw < loss_.rate : draw >= 1.0 - loss_.rate;
}

}  // namespace mcr::tools
