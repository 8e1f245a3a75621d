// GSO grouping without sockets: which datagram lengths leave together as one super-datagram, and
// the messages Batch builds for them (gathered iovecs over the receive buffers, UDP_SEGMENT cmsg).
#include "net/gso.h"

#include <gtest/gtest.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/batch.h"

namespace mcr {
namespace {

constexpr unsigned kEthernetSegmentLimit = 1472;  // MTU 1500 - 20 - 8

// Splits `lengths` into sends the way the forwarder does: repeated gso_group_size calls.
std::vector<unsigned> groups(const std::vector<unsigned>& lengths, unsigned limit = kEthernetSegmentLimit,
                             const std::vector<int>& ttls = {}) {
  std::vector<iovec> iovecs;
  static char payload[65536];
  for (const unsigned length : lengths) iovecs.push_back(iovec{payload, length});
  std::vector<unsigned> result;
  for (size_t i = 0; i < iovecs.size();) {
    const unsigned size =
        gso_group_size(&iovecs[i], ttls.empty() ? nullptr : &ttls[i], static_cast<unsigned>(iovecs.size() - i), limit);
    result.push_back(size);
    i += size;
  }
  return result;
}

TEST(Gso, SameLengthDatagramsLeaveTogether) {
  EXPECT_EQ(groups({64, 64, 64, 64}), (std::vector<unsigned>{4}));
  EXPECT_EQ(groups({100}), (std::vector<unsigned>{1}));
  EXPECT_EQ(groups({}), (std::vector<unsigned>{}));
}

TEST(Gso, OnlyTheLastSegmentMayBeShorter) {
  EXPECT_EQ(groups({64, 64, 10, 64, 64}), (std::vector<unsigned>{3, 2}));
  EXPECT_EQ(groups({64, 100, 100}), (std::vector<unsigned>{1, 2}));  // longer: starts a new group
  EXPECT_EQ(groups({1000, 999, 999}), (std::vector<unsigned>{2, 1}));
}

TEST(Gso, ZeroLengthDatagramsAreNeverSegmented) {
  EXPECT_EQ(groups({0, 0, 0}), (std::vector<unsigned>{1, 1, 1}));
  // An empty datagram cannot be the short last segment either: it would vanish in the split.
  EXPECT_EQ(groups({64, 64, 0, 64}), (std::vector<unsigned>{2, 1, 1}));
}

TEST(Gso, AtMostSixtyFourSegmentsPerSend) {
  EXPECT_EQ(groups(std::vector<unsigned>(130, 64)), (std::vector<unsigned>{64, 64, 2}));
}

TEST(Gso, AtMostOneIpv4PacketOfPayloadPerSend) {
  // 1400 * 46 = 64,400 <= 65,507 < 1400 * 47.
  EXPECT_EQ(groups(std::vector<unsigned>(50, 1400)), (std::vector<unsigned>{46, 4}));
  // A short last segment must fit the limit too.
  std::vector<unsigned> lengths(46, 1400);
  lengths.push_back(1200);
  EXPECT_EQ(groups(lengths), (std::vector<unsigned>{46, 1}));
}

TEST(Gso, SegmentsAboveTheOutputLimitGoOneByOne) {
  EXPECT_EQ(groups({1473, 1473, 1472, 1472}), (std::vector<unsigned>{1, 1, 2}));
  EXPECT_EQ(groups({8000, 8000}, 65508), (std::vector<unsigned>{2}));  // loopback's MTU
}

TEST(Gso, LimitZeroTurnsGroupingOff) {
  EXPECT_EQ(groups({64, 64, 64}, 0), (std::vector<unsigned>{1, 1, 1}));
}

TEST(Gso, InheritedTtlGroupsOnlyEqualTtls) {
  EXPECT_EQ(groups({64, 64, 64, 64, 64}, kEthernetSegmentLimit, {9, 9, 8, 8, 8}), (std::vector<unsigned>{2, 3}));
}

TEST(Gso, SegmentLimitIsTheMtuLessTheHeaders) {
  EXPECT_EQ(gso_max_segment_bytes(1500, AF_INET), 1472u);
  EXPECT_EQ(gso_max_segment_bytes(1500, AF_INET6), 1452u);
  EXPECT_EQ(gso_max_segment_bytes(0, AF_INET), 0u);  // MTU unknown: no GSO
  EXPECT_EQ(gso_max_segment_bytes(20, AF_INET6), 0u);
}

TEST(Gso, RefusalsAreTheErrorsOfGsoItself) {
  for (const int err : {EINVAL, EIO, EMSGSIZE, EOPNOTSUPP, ENOPROTOOPT}) EXPECT_TRUE(is_gso_refusal(err)) << err;
  for (const int err : {ENETUNREACH, ENOBUFS, EPERM, ENODEV, EAGAIN}) EXPECT_FALSE(is_gso_refusal(err)) << err;
}

// ---- Batch: the messages built for a GSO-capable output ---------------------------------------

void fill(BufferPool& pool, const std::vector<unsigned>& lengths, const std::vector<int>& ttls = {}) {
  for (unsigned i = 0; i < lengths.size(); ++i) {
    mmsghdr& message = pool.receive_messages()[i];
    message.msg_len = lengths[i];
    message.msg_hdr.msg_flags = 0;
    message.msg_hdr.msg_controllen = 0;
    if (ttls.empty()) continue;
    message.msg_hdr.msg_controllen = BufferPool::kControlBytesPerSlot;
    cmsghdr* cmsg = CMSG_FIRSTHDR(&message.msg_hdr);
    cmsg->cmsg_level = IPPROTO_IP;
    cmsg->cmsg_type = IP_TTL;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &ttls[i], sizeof(int));
    message.msg_hdr.msg_controllen = CMSG_SPACE(sizeof(int));
  }
}

// The UDP_SEGMENT value of a message, or -1 when it carries none; `ttl` gets its IP_TTL or -1.
int segment_of(const msghdr& header, int* ttl = nullptr) {
  int segment = -1;
  if (ttl != nullptr) *ttl = -1;
  if (header.msg_control == nullptr) return segment;
  for (cmsghdr* cmsg = CMSG_FIRSTHDR(&header); cmsg != nullptr;
       cmsg = CMSG_NXTHDR(const_cast<msghdr*>(&header), cmsg)) {
    if (cmsg->cmsg_level == SOL_UDP && cmsg->cmsg_type == UDP_SEGMENT) {
      uint16_t value = 0;
      std::memcpy(&value, CMSG_DATA(cmsg), sizeof(value));
      segment = value;
    } else if (cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_TTL && ttl != nullptr) {
      std::memcpy(ttl, CMSG_DATA(cmsg), sizeof(int));
    }
  }
  return segment;
}

TEST(GsoBatch, AGroupIsOneMessageGatheringTheReceiveBuffers) {
  BufferPool pool(8, 2048);
  Batch batch(8);
  fill(pool, {100, 100, 100, 40, 0, 7});
  batch.collect(pool, 6);
  const SocketAddress destination = make_socket_address(*parse_ip_address("127.0.0.1"), 7000);
  const OutputMessages ready = batch.address_to(destination, false, kEthernetSegmentLimit);
  ASSERT_EQ(ready.count, 3u);  // {100,100,100,40} {0} {7}
  EXPECT_EQ(ready.gso_messages, 1u);
  const msghdr& group = batch.messages()[0].msg_hdr;
  ASSERT_EQ(group.msg_iovlen, 4u);
  for (unsigned i = 0; i < 4; ++i) EXPECT_EQ(group.msg_iov[i].iov_base, pool.slot(i)) << i;  // no copy
  EXPECT_EQ(group.msg_iov[3].iov_len, 40u);
  EXPECT_EQ(segment_of(group), 100);
  EXPECT_EQ(batch.message_first_datagram(0), 0u);
  EXPECT_EQ(batch.message_datagrams(0), 4u);
  EXPECT_EQ(segment_of(batch.messages()[1].msg_hdr), -1);
  EXPECT_EQ(batch.messages()[1].msg_hdr.msg_control, nullptr);  // a single datagram stays plain
  EXPECT_EQ(batch.message_first_datagram(2), 5u);
  EXPECT_EQ(batch.message_datagrams(2), 1u);
}

TEST(GsoBatch, InheritedTtlRidesAlongsideTheSegmentSize) {
  BufferPool pool(8, 256);
  Batch batch(8);
  fill(pool, {64, 64, 64, 64}, {10, 10, 1, 7});
  batch.collect(pool, 4);
  const SocketAddress destination = make_socket_address(*parse_ip_address("127.0.0.1"), 7000);
  const OutputMessages ready = batch.address_to(destination, true, kEthernetSegmentLimit);
  EXPECT_EQ(ready.ttl_expired, 1u);
  ASSERT_EQ(ready.count, 2u);
  int ttl = 0;
  EXPECT_EQ(segment_of(batch.messages()[0].msg_hdr, &ttl), 64);
  EXPECT_EQ(ttl, 9);
  EXPECT_EQ(batch.message_datagrams(0), 2u);
  EXPECT_EQ(segment_of(batch.messages()[1].msg_hdr, &ttl), -1);
  EXPECT_EQ(ttl, 6);
  EXPECT_EQ(batch.message_first_datagram(1), 3u);
}

TEST(GsoBatch, RebuildingFromADatagramWithoutGsoIsTheFallback) {
  BufferPool pool(8, 256);
  Batch batch(8);
  fill(pool, {5, 32, 32, 32});
  batch.collect(pool, 4);
  const SocketAddress destination = make_socket_address(*parse_ip_address("127.0.0.1"), 7000);
  ASSERT_EQ(batch.address_to(destination, false, kEthernetSegmentLimit).count, 2u);
  const OutputMessages plain = batch.address_to(destination, false, 0, batch.message_first_datagram(1));
  ASSERT_EQ(plain.count, 3u);
  EXPECT_EQ(plain.gso_messages, 0u);
  for (unsigned i = 0; i < 3; ++i) {
    EXPECT_EQ(batch.messages()[i].msg_hdr.msg_iovlen, 1u);
    EXPECT_EQ(batch.messages()[i].msg_hdr.msg_iov->iov_base, pool.slot(i + 1));
    EXPECT_EQ(segment_of(batch.messages()[i].msg_hdr), -1);
  }
}

}  // namespace
}  // namespace mcr
