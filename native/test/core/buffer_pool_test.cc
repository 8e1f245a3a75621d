// The per-worker receive pool: distinct, aligned, full-size slots wired into recvmmsg headers.
#include "core/buffer_pool.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <set>

namespace mcr {
namespace {

TEST(BufferPool, SlotsAreDistinctAlignedAndSized) {
  BufferPool pool(16, 1000);
  EXPECT_EQ(pool.capacity(), 16u);
  EXPECT_EQ(pool.slot_stride(), 1024u);  // 1000 rounded up to a cache line
  std::set<const std::byte*> seen;
  for (unsigned i = 0; i < pool.capacity(); ++i) {
    const std::byte* slot = pool.slot(i);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(slot) % BufferPool::kSlotAlignmentBytes, 0u) << i;
    EXPECT_TRUE(seen.insert(slot).second) << i;
    if (i > 0) {
      EXPECT_GE(slot - pool.slot(i - 1), 1000);  // no overlap
    }
    const msghdr& header = pool.receive_messages()[i].msg_hdr;
    ASSERT_EQ(header.msg_iovlen, 1u);
    EXPECT_EQ(header.msg_iov[0].iov_base, slot);
    EXPECT_EQ(header.msg_iov[0].iov_len, 1000u);
    EXPECT_EQ(header.msg_controllen, BufferPool::kControlBytesPerSlot);
    EXPECT_EQ(header.msg_name, nullptr);
  }
}

TEST(BufferPool, EverySlotIsWritableToTheLastByte) {
  BufferPool pool(4, 9216);
  for (unsigned i = 0; i < pool.capacity(); ++i) {
    pool.slot(i)[0] = std::byte{1};
    pool.slot(i)[9215] = std::byte{2};  // ASan reports an overflow if the slot were short
  }
  EXPECT_EQ(pool.slot(3)[9215], std::byte{2});
}

TEST(BufferPool, RearmRestoresWhatRecvmmsgChanged) {
  BufferPool pool(4, 64);
  mmsghdr* messages = pool.receive_messages();
  const void* control_before = messages[1].msg_hdr.msg_control;
  for (unsigned i = 0; i < 3; ++i) {
    messages[i].msg_hdr.msg_controllen = 0;
    messages[i].msg_hdr.msg_flags = MSG_TRUNC;
    messages[i].msg_len = 99;
  }
  pool.rearm(3);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(messages[i].msg_hdr.msg_controllen, BufferPool::kControlBytesPerSlot);
    EXPECT_EQ(messages[i].msg_hdr.msg_flags, 0);
    EXPECT_EQ(messages[i].msg_len, 0u);
  }
  EXPECT_EQ(messages[1].msg_hdr.msg_control, control_before);  // same memory, reused
  EXPECT_EQ(messages[1].msg_hdr.msg_iov[0].iov_base, pool.slot(1));
}

}  // namespace
}  // namespace mcr
