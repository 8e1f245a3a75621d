// Creating and closing engines with relays and traffic, many times: under ASan/LSan this shows
// that every socket, thread and buffer is released, whatever state close() finds.
#include <gtest/gtest.h>

#include <dirent.h>

#include "core/engine.h"
#include "loopback.h"

namespace mcr {
namespace {

using namespace mcr::test;

constexpr int kRounds = 1000;

size_t open_descriptors() {
  size_t count = 0;
  if (DIR* dir = opendir("/proc/self/fd")) {
    while (readdir(dir) != nullptr) ++count;
    closedir(dir);
  }
  return count;
}

// The bar: 1,000 engines, each with relays, traffic and a removal, closed explicitly or by
// the destructor with datagrams in flight. Every descriptor (sockets, epoll, eventfds, the
// interface monitor's netlink socket) must be back; LSan checks the memory at exit.
TEST(Lifecycle, AThousandEnginesWithRelaysAndTrafficLeakNothing) {
  Receiver out;
  Sender sender;
  const size_t descriptors_before = open_descriptors();
  EngineOptions options = small_engine_options();
  options.batch_size = 8;
  options.buffer_size = 2048;
  options.socket_buffer_bytes = 256 << 10;
  for (int round = 0; round < kRounds; ++round) {
    Engine engine(options);
    const uint16_t first = free_port(), second = free_port();
    engine.add_relay(loopback_relay(first, {out.port()}));
    const std::string removed = engine.add_relay(loopback_relay(second, {out.port(), free_port()}));
    for (int i = 0; i < 5; ++i) {
      sender.send(first, numbered(i));
      sender.send(second, numbered(i));
    }
    if (round % 2 == 0) engine.remove_relay(removed);
    if (round % 3 == 0) engine.close();  // otherwise the destructor closes, with datagrams in flight
  }
  EXPECT_EQ(open_descriptors(), descriptors_before);
  EXPECT_GT(out.count(), 0u);
}

// close() releases everything, not the destructor: the binding's Engine object lives on until
// JavaScript's garbage collector finds it, and a process that opens engines one after another must
// not hold the descriptors of the closed ones meanwhile (the interface monitor's netlink socket and
// eventfd did, until the collector ran).
TEST(Lifecycle, CloseReleasesEveryDescriptorWhileTheEngineObjectLives) {
  Receiver out;
  Sender sender;
  const size_t descriptors_before = open_descriptors();
  Engine engine(small_engine_options());
  const uint16_t ingress = free_port();
  engine.add_relay(loopback_relay(ingress, {out.port()}));
  sender.send(ingress, numbered(0));
  EXPECT_TRUE(out.wait_for(1));
  engine.close();
  EXPECT_EQ(open_descriptors(), descriptors_before);
  engine.close();  // idempotent
  EXPECT_EQ(open_descriptors(), descriptors_before);
}

TEST(Lifecycle, EventSinkThatThrowsDoesNotStopForwarding) {
  std::atomic<int> events{0};
  Engine engine(small_engine_options(), [&](const EngineEvent&) {
    ++events;
    throw std::runtime_error("sink failure");
  });
  Receiver out;
  const uint16_t ingress = free_port();
  engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  sender.send(ingress, numbered(0));
  EXPECT_TRUE(out.wait_for(1));
}

}  // namespace
}  // namespace mcr
