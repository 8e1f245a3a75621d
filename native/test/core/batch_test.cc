// Batch assembly without sockets: send iovecs point at the receive buffers with true lengths,
// truncated datagrams are left out, ttl "inherit" skips expired datagrams and sets ttl - 1.
#include "core/batch.h"

#include <gtest/gtest.h>
#include <netinet/in.h>

#include <cstring>
#include <vector>

namespace mcr {
namespace {

struct FakeDatagram {
  unsigned length;
  bool truncated = false;
  int ttl = Batch::kTtlUnknown;
  uint32_t rxq_overflow = 0;
};

// Writes what recvmmsg would have written into the first datagrams.size() headers of `pool`.
void fake_receive(BufferPool& pool, const std::vector<FakeDatagram>& datagrams, int ttl_level = IPPROTO_IP,
                  int ttl_type = IP_TTL) {
  for (unsigned i = 0; i < datagrams.size(); ++i) {
    mmsghdr& message = pool.receive_messages()[i];
    msghdr& header = message.msg_hdr;
    const FakeDatagram& datagram = datagrams[i];
    message.msg_len = datagram.length;
    header.msg_flags = datagram.truncated ? MSG_TRUNC : 0;
    std::memset(pool.slot(i), 'a' + static_cast<int>(i),
                datagram.length > pool.buffer_size() ? pool.buffer_size() : datagram.length);
    std::memset(header.msg_control, 0, BufferPool::kControlBytesPerSlot);
    header.msg_controllen = BufferPool::kControlBytesPerSlot;
    size_t used = 0;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
    if (datagram.rxq_overflow != 0) {
      cmsg->cmsg_level = SOL_SOCKET;
      cmsg->cmsg_type = SO_RXQ_OVFL;
      cmsg->cmsg_len = CMSG_LEN(sizeof(uint32_t));
      std::memcpy(CMSG_DATA(cmsg), &datagram.rxq_overflow, sizeof(uint32_t));
      used += CMSG_SPACE(sizeof(uint32_t));
      cmsg = CMSG_NXTHDR(&header, cmsg);
    }
    if (datagram.ttl != Batch::kTtlUnknown) {
      cmsg->cmsg_level = ttl_level;
      cmsg->cmsg_type = ttl_type;
      cmsg->cmsg_len = CMSG_LEN(sizeof(int));
      std::memcpy(CMSG_DATA(cmsg), &datagram.ttl, sizeof(int));
      used += CMSG_SPACE(sizeof(int));
    }
    header.msg_controllen = used;
  }
}

int control_ttl(const msghdr& header, int level, int type) {
  const cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  if (cmsg == nullptr || cmsg->cmsg_level != level || cmsg->cmsg_type != type) return -1;
  int ttl = 0;
  std::memcpy(&ttl, CMSG_DATA(cmsg), sizeof(ttl));
  return ttl;
}

TEST(Batch, SendIovecsPointAtTheReceiveBuffersWithTrueLengths) {
  BufferPool pool(8, 256);
  Batch batch(8);
  fake_receive(pool, {{10}, {0}, {256}, {1}});
  const BatchSummary summary = batch.collect(pool, 4);
  EXPECT_EQ(summary.received, 4u);
  EXPECT_EQ(summary.forwardable, 4u);
  EXPECT_EQ(summary.truncated, 0u);
  EXPECT_EQ(summary.bytes, 267u);
  const unsigned lengths[] = {10, 0, 256, 1};
  for (unsigned i = 0; i < 4; ++i) {
    EXPECT_EQ(batch.send_iovec(i).iov_base, pool.slot(i)) << i;  // no copy
    EXPECT_EQ(batch.send_iovec(i).iov_len, lengths[i]) << i;
  }
}

TEST(Batch, TruncatedDatagramsAreCountedAndLeftOut) {
  BufferPool pool(8, 100);
  Batch batch(8);
  fake_receive(pool, {{50}, {100, true}, {20}, {100, true}});
  const BatchSummary summary = batch.collect(pool, 4);
  EXPECT_EQ(summary.truncated, 2u);
  EXPECT_EQ(summary.forwardable, 2u);
  EXPECT_EQ(summary.bytes, 70u);
  EXPECT_EQ(batch.send_iovec(0).iov_base, pool.slot(0));
  EXPECT_EQ(batch.send_iovec(1).iov_base, pool.slot(2));
  const SocketAddress destination = make_socket_address(*parse_ip_address("127.0.0.1"), 7000);
  EXPECT_EQ(batch.address_to(destination, false).count, 2u);
}

TEST(Batch, EveryOutputReferencesTheSameIovecsWithItsOwnDestination) {
  BufferPool pool(4, 64);
  Batch batch(4);
  fake_receive(pool, {{5}, {6}, {7}});
  batch.collect(pool, 3);
  const SocketAddress first = make_socket_address(*parse_ip_address("127.0.0.1"), 7000);
  const SocketAddress second = make_socket_address(*parse_ip_address("::1"), 7001);
  std::vector<const iovec*> first_iovecs;
  ASSERT_EQ(batch.address_to(first, false).count, 3u);
  for (unsigned i = 0; i < 3; ++i) {
    const msghdr& header = batch.messages()[i].msg_hdr;
    EXPECT_EQ(header.msg_name, first.get());
    EXPECT_EQ(header.msg_namelen, first.length);
    EXPECT_EQ(header.msg_control, nullptr);
    first_iovecs.push_back(header.msg_iov);
  }
  ASSERT_EQ(batch.address_to(second, false).count, 3u);
  for (unsigned i = 0; i < 3; ++i) {
    const msghdr& header = batch.messages()[i].msg_hdr;
    EXPECT_EQ(header.msg_name, second.get());
    EXPECT_EQ(header.msg_iov, first_iovecs[i]);  // the shared array, not a copy
    EXPECT_EQ(header.msg_iov->iov_base, pool.slot(i));
  }
}

TEST(Batch, InheritedTtlSkipsExpiredDatagramsAndDecrements) {
  BufferPool pool(8, 64);
  Batch batch(8);
  fake_receive(pool, {{4, false, 64}, {4, false, 1}, {4, false, 0}, {4, false, 2}, {4}});
  batch.collect(pool, 5);
  const SocketAddress v4 = make_socket_address(*parse_ip_address("127.0.0.1"), 7000);
  const OutputMessages ready = batch.address_to(v4, true);
  EXPECT_EQ(ready.ttl_expired, 2u);
  ASSERT_EQ(ready.count, 3u);
  EXPECT_EQ(control_ttl(batch.messages()[0].msg_hdr, IPPROTO_IP, IP_TTL), 63);
  EXPECT_EQ(batch.messages()[0].msg_hdr.msg_iov->iov_base, pool.slot(0));
  EXPECT_EQ(control_ttl(batch.messages()[1].msg_hdr, IPPROTO_IP, IP_TTL), 1);
  EXPECT_EQ(batch.messages()[1].msg_hdr.msg_iov->iov_base, pool.slot(3));
  EXPECT_EQ(batch.messages()[2].msg_hdr.msg_control, nullptr);  // TTL unknown: socket default
  // An output with a fixed ttl on the same batch gets every datagram.
  const OutputMessages fixed = batch.address_to(v4, false);
  EXPECT_EQ(fixed.count, 5u);
  EXPECT_EQ(fixed.ttl_expired, 0u);
}

TEST(Batch, Ipv6HopLimitFeedsAnIpv4OutputAndTheReverse) {
  BufferPool pool(4, 64);
  Batch batch(4);
  fake_receive(pool, {{4, false, 10}}, IPPROTO_IPV6, IPV6_HOPLIMIT);
  batch.collect(pool, 1);
  EXPECT_EQ(batch.ttl(0), 10);
  ASSERT_EQ(batch.address_to(make_socket_address(*parse_ip_address("127.0.0.1"), 1), true).count, 1u);
  EXPECT_EQ(control_ttl(batch.messages()[0].msg_hdr, IPPROTO_IP, IP_TTL), 9);
  ASSERT_EQ(batch.address_to(make_socket_address(*parse_ip_address("::1"), 1), true).count, 1u);
  EXPECT_EQ(control_ttl(batch.messages()[0].msg_hdr, IPPROTO_IPV6, IPV6_HOPLIMIT), 9);
}

TEST(Batch, ReportsTheHighestDropCounterOfTheBatch) {
  BufferPool pool(4, 64);
  Batch batch(4);
  fake_receive(pool, {{4, false, 5, 7}, {4}, {4, false, Batch::kTtlUnknown, 9}});
  const BatchSummary summary = batch.collect(pool, 3);
  EXPECT_EQ(summary.rxq_overflow, 9u);
  EXPECT_EQ(batch.ttl(0), 5);
}

}  // namespace
}  // namespace mcr
