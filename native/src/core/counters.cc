// The errno table of the send-error counters: slot claiming on the writer side, snapshot on the reader side.
#include "core/counters.h"

namespace mcr {

void ErrnoCounters::add(int err, uint64_t amount) noexcept {
  for (size_t i = 0; i < kSlots; ++i) {
    const int code = codes_[i].load(std::memory_order_relaxed);
    if (code == err) {
      counts_[i].add(amount);
      return;
    }
    if (code == 0 && err != kOtherErrno) {
      // Release so a reader that sees the code also sees it belongs to this slot's count.
      codes_[i].store(err, std::memory_order_release);
      counts_[i].add(amount);
      return;
    }
  }
  other_.add(amount);
}

uint64_t ErrnoCounters::total() const noexcept {
  uint64_t sum = other_.get();
  for (const Counter& count : counts_) sum += count.get();
  return sum;
}

std::vector<std::pair<int, uint64_t>> ErrnoCounters::snapshot() const {
  std::vector<std::pair<int, uint64_t>> result;
  for (size_t i = 0; i < kSlots; ++i) {
    const int code = codes_[i].load(std::memory_order_acquire);
    const uint64_t count = counts_[i].get();
    if (code != 0 && count != 0) result.emplace_back(code, count);
  }
  if (other_.get() != 0) result.emplace_back(kOtherErrno, other_.get());
  return result;
}

}  // namespace mcr
