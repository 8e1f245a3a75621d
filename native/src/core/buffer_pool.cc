// Allocation and re-arming of the per-worker receive buffers; no allocation after construction.
#include "core/buffer_pool.h"

#include <cstdlib>
#include <new>

namespace mcr {

namespace {

size_t round_up(size_t value, size_t multiple) {
  return (value + multiple - 1) / multiple * multiple;
}

std::byte* allocate_aligned(size_t bytes, size_t alignment) {
  void* memory = std::aligned_alloc(alignment, round_up(bytes, alignment));
  if (memory == nullptr) throw std::bad_alloc();
  return static_cast<std::byte*>(memory);
}

}  // namespace

void BufferPool::FreeAligned::operator()(std::byte* memory) const noexcept {
  std::free(memory);
}

BufferPool::BufferPool(unsigned batch_size, unsigned buffer_size)
    : capacity_(batch_size),
      buffer_size_(buffer_size),
      slot_stride_(round_up(buffer_size, kSlotAlignmentBytes)),
      slots_(allocate_aligned(slot_stride_ * batch_size, kSlotAlignmentBytes)),
      control_(allocate_aligned(kControlBytesPerSlot * batch_size, alignof(cmsghdr))),
      iovecs_(batch_size),
      messages_(batch_size) {
  for (unsigned i = 0; i < capacity_; ++i) {
    iovecs_[i] = iovec{slot(i), buffer_size_};
    msghdr& header = messages_[i].msg_hdr;
    header = msghdr{};
    header.msg_iov = &iovecs_[i];
    header.msg_iovlen = 1;
    header.msg_control = control_.get() + i * kControlBytesPerSlot;
  }
  rearm(capacity_);
}

void BufferPool::rearm(unsigned used) noexcept {
  for (unsigned i = 0; i < used && i < capacity_; ++i) {
    messages_[i].msg_hdr.msg_controllen = kControlBytesPerSlot;
    messages_[i].msg_hdr.msg_flags = 0;
    messages_[i].msg_len = 0;
  }
}

}  // namespace mcr
