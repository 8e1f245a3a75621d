// Per-datagram receive timestamps on a real loopback socket: with set_arrival_timestamps on,
// every datagram of one recvmmsg batch carries the kernel's own arrival time (so datagrams that
// waited in the queue keep their spacing), next to the drop counter in the slot's control room;
// off again, they carry none and the batch time stands in.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <thread>

#include "core/batch.h"
#include "core/buffer_pool.h"
#include "core/ingress_socket.h"
#include "loopback.h"
#include "net/clock.h"

namespace mcr {
namespace {

using namespace std::chrono_literals;

struct LoopbackPair {
  IngressSocket ingress;
  Fd sender = test::udp_socket(AF_INET);
  sockaddr_in destination{};

  LoopbackPair() {
    ingress.fd = test::udp_socket(AF_INET);
    ingress.family = AF_INET;
    const int on = 1;
    setsockopt(ingress.fd.get(), SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));  // as open_ingress does
    destination = test::loopback_v4(0);
    EXPECT_TRUE(test::try_bind(ingress.fd, destination));
    socklen_t length = sizeof(destination);
    getsockname(ingress.fd.get(), reinterpret_cast<sockaddr*>(&destination), &length);
  }

  void send_one() const {
    const char byte = 'x';
    sendto(sender.get(), &byte, 1, 0, reinterpret_cast<const sockaddr*>(&destination), sizeof(destination));
  }

  // The kernel turns receive timestamps on host-wide from a work item shortly after the first
  // socket asks (net_enable_timestamp): a datagram queued before that is stamped only when it is
  // read. Wait for it with a datagram that is sent, left in the queue for a while, then read.
  void wait_for_kernel_timestamps(BufferPool& pool) const {
    Batch batch(pool.capacity());
    for (int attempt = 0; attempt < 100; ++attempt) {
      send_one();
      std::this_thread::sleep_for(2ms);
      const int64_t read_ns = realtime_now_ns();
      const int received = recvmmsg(ingress.fd.get(), pool.receive_messages(), pool.capacity(), MSG_DONTWAIT, nullptr);
      if (received != 1) continue;
      batch.collect(pool, 1);
      if (batch.arrival_ns(0) < read_ns - 1'000'000) return;
    }
    FAIL() << "the kernel never stamped a datagram on arrival";
  }

  // Three datagrams 2 ms apart, then all of them in one recvmmsg.
  unsigned receive_spaced(BufferPool& pool) const {
    for (int i = 0; i < 3; ++i) {
      send_one();
      std::this_thread::sleep_for(2ms);
    }
    return static_cast<unsigned>(
        recvmmsg(ingress.fd.get(), pool.receive_messages(), pool.capacity(), MSG_DONTWAIT, nullptr));
  }
};

TEST(ArrivalTime, EachDatagramOfABatchKeepsItsKernelArrivalTime) {
  LoopbackPair pair;
  set_arrival_timestamps(pair.ingress, true);
  EXPECT_TRUE(pair.ingress.receives_arrival_time);
  BufferPool pool(8, 64);
  Batch batch(8);
  pair.wait_for_kernel_timestamps(pool);
  const int64_t before_ns = realtime_now_ns();
  ASSERT_EQ(pair.receive_spaced(pool), 3u);
  batch.collect(pool, 3);
  ASSERT_EQ(batch.forwardable(), 3u);
  EXPECT_GE(batch.arrival_ns(0), before_ns);
  for (unsigned i = 1; i < 3; ++i) {
    const int64_t spacing_ns = batch.arrival_ns(i) - batch.arrival_ns(i - 1);
    EXPECT_GE(spacing_ns, 1'900'000) << i;  // the send spacing, not one time for the batch
    EXPECT_LT(spacing_ns, 50'000'000) << i;
  }
}

TEST(ArrivalTime, OffAgainTheDatagramsCarryNone) {
  LoopbackPair pair;
  set_arrival_timestamps(pair.ingress, true);
  set_arrival_timestamps(pair.ingress, false);
  EXPECT_FALSE(pair.ingress.receives_arrival_time);
  BufferPool pool(8, 64);
  Batch batch(8);
  ASSERT_EQ(pair.receive_spaced(pool), 3u);
  batch.collect(pool, 3);
  for (unsigned i = 0; i < 3; ++i) EXPECT_EQ(batch.arrival_ns(i), 0) << i;
}

}  // namespace
}  // namespace mcr
