// GRO on receive: a buffer the kernel coalesced (UDP_GRO cmsg = segment size) is split back into
// its datagrams, pointing into the same buffer; end to end, a GSO sender's super-datagram reaches
// a GRO ingress whole and leaves every output as the original datagrams.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <net/if.h>
#include <netinet/udp.h>

#include <cstring>
#include <string>
#include <vector>

#include "core/batch.h"
#include "core/engine.h"
#include "loopback.h"
#include "net/gso.h"
#include "private_network.h"

namespace mcr {
namespace {

using namespace mcr::test;

// What recvmmsg writes for one buffer of `length` bytes, coalesced from `segment`-byte datagrams.
void fake_gro_receive(BufferPool& pool, unsigned slot, unsigned length, int segment, int ttl = Batch::kTtlUnknown) {
  mmsghdr& message = pool.receive_messages()[slot];
  msghdr& header = message.msg_hdr;
  message.msg_len = length;
  header.msg_flags = 0;
  header.msg_controllen = BufferPool::kControlBytesPerSlot;
  size_t used = 0;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  if (ttl != Batch::kTtlUnknown) {
    cmsg->cmsg_level = IPPROTO_IP;
    cmsg->cmsg_type = IP_TTL;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &ttl, sizeof(int));
    used += CMSG_SPACE(sizeof(int));
    cmsg = CMSG_NXTHDR(&header, cmsg);
  }
  if (segment > 0) {
    cmsg->cmsg_level = SOL_UDP;
    cmsg->cmsg_type = UDP_GRO;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &segment, sizeof(int));
    used += CMSG_SPACE(sizeof(int));
  }
  header.msg_controllen = used;
}

TEST(BatchGro, ACoalescedBufferIsSplitIntoItsDatagramsWithoutCopying) {
  BufferPool pool(4, BufferPool::kGroSlotBytes);
  Batch batch(4, kGsoMaxSegments);
  fake_gro_receive(pool, 0, 250, 100, 9);  // 100 + 100 + 50
  fake_gro_receive(pool, 1, 64, 0);        // a plain datagram
  fake_gro_receive(pool, 2, 80, 100);      // segment size above the length: one datagram
  const BatchSummary summary = batch.collect(pool, 3);
  EXPECT_EQ(summary.received, 3u);
  ASSERT_EQ(summary.forwardable, 5u);
  EXPECT_EQ(summary.bytes, 394u);
  const std::byte* first = pool.slot(0);
  EXPECT_EQ(batch.send_iovec(0).iov_base, first);
  EXPECT_EQ(batch.send_iovec(1).iov_base, first + 100);
  EXPECT_EQ(batch.send_iovec(2).iov_base, first + 200);
  EXPECT_EQ(batch.send_iovec(2).iov_len, 50u);
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(batch.ttl(i), 9) << i;
  EXPECT_EQ(batch.send_iovec(3).iov_base, pool.slot(1));
  EXPECT_EQ(batch.send_iovec(3).iov_len, 64u);
  EXPECT_EQ(batch.send_iovec(4).iov_len, 80u);
  // The split datagrams group again for a GSO output: one message, segment size 100.
  const SocketAddress destination = make_socket_address(*parse_ip_address("127.0.0.1"), 7000);
  const OutputMessages ready = batch.address_to(destination, false, 1472);
  EXPECT_EQ(ready.count, 3u);
  EXPECT_EQ(batch.message_datagrams(0), 3u);
}

TEST(BatchGro, SixtyFourFullBuffersOfSixtyFourSegmentsFit) {
  BufferPool pool(64, BufferPool::kGroSlotBytes);
  Batch batch(64, kGsoMaxSegments);
  for (unsigned slot = 0; slot < 64; ++slot) fake_gro_receive(pool, slot, 64 * 1000, 1000);
  const BatchSummary summary = batch.collect(pool, 64);
  EXPECT_EQ(summary.forwardable, 64u * 64u);
  EXPECT_EQ(summary.truncated, 0u);
}

TEST(BatchGro, MoreSegmentsThanABufferMayHoldAreCountedAsTruncated) {
  BufferPool pool(2, BufferPool::kGroSlotBytes);
  Batch batch(2, kGsoMaxSegments);
  fake_gro_receive(pool, 0, 65 * 10, 10);  // 65 segments: more than the kernel ever coalesces
  fake_gro_receive(pool, 1, 20, 10);
  const BatchSummary summary = batch.collect(pool, 2);
  EXPECT_EQ(summary.truncated, 1u);
  EXPECT_EQ(summary.forwardable, 2u);
  EXPECT_EQ(summary.bytes, 20u);
  EXPECT_EQ(batch.send_iovec(0).iov_base, pool.slot(1));
}

// Sends one GSO super-datagram (`count` segments of `segment` bytes, numbered from `first`) to
// `group`:`port` out of interface `name`.
void send_super_datagram(const std::string& name, const std::string& group, uint16_t port, uint64_t first,
                         unsigned count, unsigned segment) {
  Fd fd = udp_socket(AF_INET);
  ip_mreqn request{};
  request.imr_ifindex = static_cast<int>(if_nametoindex(name.c_str()));
  setsockopt(fd.get(), IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof(request));
  const int off = 0;
  setsockopt(fd.get(), IPPROTO_IP, IP_MULTICAST_LOOP, &off, sizeof(off));
  const int segment_size = static_cast<int>(segment);
  if (setsockopt(fd.get(), SOL_UDP, UDP_SEGMENT, &segment_size, sizeof(segment_size)) != 0) {
    throw std::runtime_error("UDP_SEGMENT: " + std::string(std::strerror(errno)));
  }
  std::string payload;
  for (unsigned i = 0; i < count; ++i) payload += numbered(first + i, segment);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  inet_pton(AF_INET, group.c_str(), &to.sin_addr);
  if (sendto(fd.get(), payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) < 0) {
    throw std::runtime_error("GSO sendto: " + std::string(std::strerror(errno)));
  }
}

// batch_size 1: without GRO every recvmmsg returns one datagram, so GSO on the output can only
// group datagrams that arrived coalesced. The count of GSO-sent datagrams tells the two apart.
uint64_t relay_super_datagrams(bool gro, std::vector<Received>& received) {
  uint64_t gso_datagrams = 0;
  in_private_network([&] {
    create_veth_pair("mcro-a", "mcro-b");
    EngineOptions options = small_engine_options();
    options.batch_size = 1;
    options.gro = gro;
    Engine engine(options);
    Receiver out;
    const uint16_t port = free_port();
    RelaySpec spec;
    spec.name = "gro";
    spec.input.interface = "mcro-b";
    spec.input.group = "239.9.6.1";
    spec.input.port = port;
    spec.outputs.push_back(loopback_output(out.port()));
    const std::string id = engine.add_relay(spec);
    for (uint64_t burst = 0; burst < 10; ++burst) {
      send_super_datagram("mcro-a", "239.9.6.1", port, burst * 20, 20, 200);
      ASSERT_TRUE(out.wait_for((burst + 1) * 20)) << out.count();
    }
    const RelayStats stats = *engine.stats(id);
    EXPECT_EQ(stats.packets_in, 200u);
    EXPECT_EQ(stats.truncated, 0u);
    gso_datagrams = stats.outputs.at(0).gso_datagrams;
    received = out.received();
  });
  return gso_datagrams;
}

TEST(EngineGro, AGsoSendersSuperDatagramIsReceivedWholeAndForwardedAsItsDatagrams) {
  std::vector<Received> received;
  EXPECT_EQ(relay_super_datagrams(true, received), 200u);
  ASSERT_EQ(received.size(), 200u);
  EXPECT_EQ(sequences(received), range(0, 200));
  for (const Received& datagram : received) EXPECT_EQ(datagram.payload.size(), 200u);
}

TEST(EngineGro, WithoutTheOptionTheKernelSplitsBeforeTheIngress) {
  std::vector<Received> received;
  EXPECT_EQ(relay_super_datagrams(false, received), 0u);
  EXPECT_EQ(sequences(received), range(0, 200));
}

}  // namespace
}  // namespace mcr
