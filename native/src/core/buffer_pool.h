// A worker's receive memory, allocated once: batch_size datagram slots, one control buffer per
// slot for the cmsgs (drop counter, TTL), and the mmsghdr/iovec arrays recvmmsg fills.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <vector>

namespace mcr {

class BufferPool {
 public:
  // Slots start on a cache line: slot stride = round_up(buffer_size, kSlotAlignmentBytes).
  static constexpr size_t kSlotAlignmentBytes = 64;
  // Control bytes per slot: the SO_RXQ_OVFL drop counter (uint32_t), the IP_TTL /
  // IPV6_HOPLIMIT value (int), the UDP_GRO segment size (int) and the SO_TIMESTAMPNS arrival
  // time (timespec), the only cmsgs an ingress socket asks for.
  static constexpr size_t kControlBytesPerSlot =
      CMSG_SPACE(sizeof(uint32_t)) + CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(timespec));
  // With GRO a slot must hold a whole coalesced buffer: at most 64 KiB of UDP payload.
  static constexpr unsigned kGroSlotBytes = 65535;

  BufferPool(unsigned batch_size, unsigned buffer_size);

  unsigned capacity() const noexcept { return capacity_; }
  unsigned buffer_size() const noexcept { return buffer_size_; }
  size_t slot_stride() const noexcept { return slot_stride_; }

  std::byte* slot(unsigned index) noexcept { return slots_.get() + index * slot_stride_; }
  const std::byte* slot(unsigned index) const noexcept { return slots_.get() + index * slot_stride_; }

  // The array to pass to recvmmsg, with every header reset to full capacity.
  mmsghdr* receive_messages() noexcept { return messages_.data(); }
  const mmsghdr* receive_messages() const noexcept { return messages_.data(); }

  // recvmmsg shrinks msg_controllen and sets msg_flags of the slots it filled: restore them.
  void rearm(unsigned used) noexcept;

 private:
  struct FreeAligned {
    void operator()(std::byte* memory) const noexcept;
  };

  unsigned capacity_;
  unsigned buffer_size_;
  size_t slot_stride_;
  std::unique_ptr<std::byte[], FreeAligned> slots_;
  std::unique_ptr<std::byte[], FreeAligned> control_;
  std::vector<iovec> iovecs_;
  std::vector<mmsghdr> messages_;
};

}  // namespace mcr
