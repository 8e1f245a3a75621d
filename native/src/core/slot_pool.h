// Indexes into the eBPF datapath's per-CPU counter arrays: each relay and each output owns one
// while it exists.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

namespace mcr {

class SlotPool {
 public:
  explicit SlotPool(uint32_t capacity) : capacity_(capacity) {}

  // The lowest free slot; nullopt when all are taken.
  std::optional<uint32_t> take() {
    if (!free_.empty()) {
      const uint32_t slot = free_.back();
      free_.pop_back();
      return slot;
    }
    if (next_ == capacity_) return std::nullopt;
    return next_++;
  }

  void give_back(uint32_t slot) { free_.push_back(slot); }

 private:
  uint32_t capacity_;
  uint32_t next_ = 0;
  std::vector<uint32_t> free_;
};

}  // namespace mcr
