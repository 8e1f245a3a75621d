// A redundant relay in the engine, on loopback: two unicast legs carrying the same numbered
// datagrams with disjoint losses reach the output exactly once each; failover forwards one leg
// and moves to the other when it goes silent; the spec checks name the redundancy fields.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "../loopback.h"
#include "core/engine.h"

namespace mcr {
namespace {

using namespace mcr::test;

RelaySpec redundant_relay(uint16_t leg_a, uint16_t leg_b, uint16_t output, RedundancyMode mode) {
  RelaySpec spec = loopback_relay(leg_a, {output});
  RedundancySpec redundancy;
  redundancy.input = spec.input;
  redundancy.input.port = leg_b;
  redundancy.mode = mode;
  redundancy.key = RedundancyKey::payload;
  redundancy.window_ms = 1'000;
  redundancy.loss_ms = 100;
  spec.redundancy = redundancy;
  return spec;
}

TEST(RedundantRelay, MergesTwoLegsWithDisjointLossesIntoOneCompleteStream) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t leg_a = free_port();
  const uint16_t leg_b = free_port();
  const std::string id = engine.add_relay(redundant_relay(leg_a, leg_b, out.port(), RedundancyMode::merge));
  Sender sender;
  constexpr uint64_t kCount = 4'000;
  for (uint64_t n = 0; n < kCount; ++n) {
    // A loses every 10th datagram and 1000..1199 (an outage); B every 10th shifted by 5, outside
    // A's outage: every datagram is lost on at most one leg.
    const bool a_outage = n >= 1'000 && n < 1'200;
    const bool a_loses = n % 10 == 0 || a_outage;
    const bool b_loses = n % 10 == 5 && !a_outage;
    if (!a_loses) sender.send(leg_a, numbered(n));
    if (!b_loses) sender.send(leg_b, numbered(n));
    if (n % 200 == 199) {
      ASSERT_TRUE(out.wait_for(n + 1)) << "stalled at " << n;
    }
  }
  ASSERT_TRUE(out.wait_for(kCount));
  std::this_thread::sleep_for(50ms);  // any duplicate would arrive by now
  std::vector<uint64_t> got = sequences(out.received());
  std::sort(got.begin(), got.end());
  EXPECT_EQ(got, range(0, kCount));
  const RelayStats stats = *engine.stats(id);
  ASSERT_EQ(stats.legs.size(), 2u);
  EXPECT_EQ(stats.legs[0].first_copies + stats.legs[1].first_copies, kCount);
  EXPECT_EQ(stats.legs[0].duplicates + stats.legs[1].duplicates, stats.packets_in - kCount);
  EXPECT_EQ(stats.legs[0].too_late + stats.legs[1].too_late, 0u);
  EXPECT_EQ(stats.outputs.at(0).packets, kCount);
  EXPECT_EQ(stats.active_leg, -1);
  EXPECT_GE(stats.legs[1].silent_for_ms, 0);
}

TEST(RedundantRelay, FailoverForwardsOneLegAndTakesTheOtherAfterLossMs) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t leg_a = free_port();
  const uint16_t leg_b = free_port();
  const std::string id = engine.add_relay(redundant_relay(leg_a, leg_b, out.port(), RedundancyMode::failover));
  Sender sender;
  for (uint64_t n = 0; n < 100; ++n) {
    sender.send(leg_a, numbered(n));
    sender.send(leg_b, numbered(n));
  }
  ASSERT_TRUE(out.wait_for(100));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(1).inactive_leg == 100; }));
  EXPECT_EQ(engine.stats(id)->active_leg, 0);
  // A goes silent; B keeps sending, one datagram a millisecond, until B has taken over.
  uint64_t n = 100;
  for (; n < 400 && engine.stats(id)->active_leg != 1; ++n) {
    sender.send(leg_b, numbered(n));
    std::this_thread::sleep_for(1ms);
  }
  ASSERT_EQ(engine.stats(id)->active_leg, 1);
  sender.send(leg_b, numbered(n));
  ASSERT_TRUE(eventually([&] { return !out.received().empty() && sequence_of(out.received().back().payload) == n; }));
  std::vector<uint64_t> got = sequences(out.received());
  EXPECT_TRUE(std::is_sorted(got.begin(), got.end()));
  EXPECT_EQ(std::adjacent_find(got.begin(), got.end()), got.end()) << "a datagram went out twice";
}

// HA: a standby node drains both legs through the same merge, so when it is promoted its window
// already knows what the old active forwarded, and the other leg's late copies stay suppressed.
TEST(RedundantRelay, AStandbyLearnsTheWindowSoAPromotionSendsNoLateCopy) {
  Engine engine(small_engine_options());
  engine.set_role(Role::standby);
  Receiver out;
  const uint16_t leg_a = free_port();
  const uint16_t leg_b = free_port();
  const std::string id = engine.add_relay(redundant_relay(leg_a, leg_b, out.port(), RedundancyMode::merge));
  Sender sender;
  for (uint64_t n = 0; n < 50; ++n) sender.send(leg_a, numbered(n));  // the old active forwarded these
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(0).leg_packets == 50; }));
  engine.set_role(Role::active);
  for (uint64_t n = 0; n < 60; ++n) sender.send(leg_b, numbered(n));  // B's copies, then 10 new ones
  ASSERT_TRUE(out.wait_for(10));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sequences(out.received()), range(50, 10));
  EXPECT_EQ(engine.stats(id)->legs.at(1).duplicates, 50u);
}

TEST(RedundantRelay, OutputAndSettingChangesKeepTheLegsAndTheWindow) {
  Engine engine(small_engine_options());
  Receiver out, other;
  const uint16_t leg_a = free_port();
  const uint16_t leg_b = free_port();
  RelaySpec spec = redundant_relay(leg_a, leg_b, out.port(), RedundancyMode::merge);
  const std::string id = engine.add_relay(spec);
  Sender sender;
  for (uint64_t n = 0; n < 20; ++n) sender.send(leg_a, numbered(n));
  ASSERT_TRUE(out.wait_for(20));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(0).leg_packets == 20; }));

  spec.outputs.push_back(loopback_output(other.port()));
  engine.update_relay(id, spec);
  EXPECT_EQ(engine.stats(id)->legs.at(0).leg_packets, 20u);  // same sockets, same window
  for (uint64_t n = 0; n < 20; ++n) sender.send(leg_b, numbered(n));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(1).duplicates == 20; }));
  EXPECT_EQ(other.count(), 0u);

  // New settings on the same (unicast) legs apply in place: no rebind, the window keeps its keys.
  spec.redundancy->window_ms = 200;
  spec.redundancy->mode = RedundancyMode::failover;
  engine.update_relay(id, spec);
  EXPECT_EQ(engine.stats(id)->active_leg, 0);
  for (uint64_t n = 10; n < 20; ++n) sender.send(leg_b, numbered(n));  // inactive leg: not forwarded
  // Received in failover mode before the mode changes back, or they would be merged as copies.
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(1).inactive_leg == 10; }));
  spec.redundancy->mode = RedundancyMode::merge;
  engine.update_relay(id, spec);
  for (uint64_t n = 0; n < 20; ++n) sender.send(leg_b, numbered(n));  // copies: still known
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(1).leg_packets == 50; }));
  EXPECT_EQ(engine.stats(id)->legs.at(1).duplicates, 40u);
  EXPECT_EQ(engine.stats(id)->legs.at(0).leg_packets, 20u);
  EXPECT_EQ(engine.stats(id)->active_leg, -1);
  EXPECT_EQ(out.count(), 20u);
}

TEST(RedundantRelay, RefusesABLegEqualToTheInputNamingTheField) {
  Engine engine(small_engine_options());
  const uint16_t port = free_port();
  RelaySpec spec = redundant_relay(port, port, free_port(), RedundancyMode::merge);
  try {
    engine.add_relay(spec);
    FAIL() << "accepted a B leg equal to the input";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.code(), ErrorCode::invalid_spec);
    EXPECT_EQ(error.field(), "redundancy.input");
  }
}

TEST(RedundantRelay, RefusesAWindowOutsideItsRangeNamingTheField) {
  Engine engine(small_engine_options());
  RelaySpec spec = redundant_relay(free_port(), free_port(), free_port(), RedundancyMode::merge);
  spec.redundancy->window_ms = 1'001;
  try {
    engine.add_relay(spec);
    FAIL() << "accepted windowMs 1001";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.field(), "redundancy.windowMs");
  }
}

TEST(RedundantRelay, RefusesAnOutputThatIsItsOwnBLeg) {
  Engine engine(small_engine_options());
  const uint16_t leg_b = free_port();
  RelaySpec spec = redundant_relay(free_port(), leg_b, leg_b, RedundancyMode::merge);
  try {
    engine.add_relay(spec);
    FAIL() << "accepted an output equal to the B leg";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.field(), "outputs[0]");
  }
}

}  // namespace
}  // namespace mcr
