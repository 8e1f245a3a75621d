// Standby and the forwardUntil fence: datagrams are drained and counted, nothing is sent;
// promotion and a later deadline resume forwarding. (A disabled relay receives nothing at all:
// disabled_relay_test.cc.)
#include <gtest/gtest.h>

#include "core/engine.h"
#include "loopback.h"
#include "net/clock.h"

namespace mcr {
namespace {

using namespace mcr::test;

TEST(Fence, StandbyDrainsAndCountsWithoutSendingUntilPromoted) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  engine.set_role(Role::standby);
  EXPECT_EQ(engine.role(), Role::standby);
  Sender sender;
  for (uint64_t i = 0; i < 100; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->not_forwarded_standby == 100; }));
  EXPECT_EQ(engine.stats(id)->packets_in, 100u);
  engine.set_role(Role::active);
  for (uint64_t i = 100; i < 110; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(out.wait_for(10));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sequences(out.received()), range(100, 10));  // nothing from before the promotion
  EXPECT_EQ(engine.stats(id)->outputs.at(0).packets, 10u);
}

TEST(Fence, PassedDeadlineHoldsBackAndAnExtensionResumes) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  engine.set_forward_until(monotonic_now_ns() - 1);
  Sender sender;
  for (uint64_t i = 0; i < 50; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->held_by_fence == 50; }));
  EXPECT_EQ(out.count(), 0u);
  engine.set_forward_until(monotonic_now_ns() + 60 * kNanosecondsPerSecond);
  for (uint64_t i = 50; i < 100; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(out.wait_for(50));
  EXPECT_EQ(sequences(out.received()), range(50, 50));
  engine.set_forward_until(monotonic_now_ns() - 1);
  sender.send(ingress, numbered(100));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->held_by_fence == 51; }));
  engine.clear_forward_until();
  sender.send(ingress, numbered(101));
  ASSERT_TRUE(out.wait_for(51));
  EXPECT_EQ(sequences(out.received()).back(), 101u);
}

TEST(Fence, DeadlineThatPassesWhileForwardingStopsTheSends) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  engine.set_forward_until(monotonic_now_ns() + 200'000'000);  // 200 ms from now
  Sender sender;
  sender.send(ingress, numbered(0));
  ASSERT_TRUE(out.wait_for(1));
  std::this_thread::sleep_for(250ms);
  sender.send(ingress, numbered(1));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->held_by_fence == 1; }));
  EXPECT_EQ(out.count(), 1u);
}

}  // namespace
}  // namespace mcr
