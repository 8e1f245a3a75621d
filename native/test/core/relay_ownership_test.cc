// Per-relay ownership (MCR_PLACEMENT=relay): an active node forwards only the relays it owns;
// the others are drained and counted like a standby's, and gaining ownership replays nothing.
#include <gtest/gtest.h>

#include "core/engine.h"
#include "core/engine_error.h"
#include "loopback.h"
#include "net/clock.h"

namespace mcr {
namespace {

using namespace mcr::test;

TEST(RelayOwnership, ActiveNodeForwardsOnlyTheRelaysItOwns) {
  Engine engine(small_engine_options());
  Receiver owned_out;
  Receiver other_out;
  const uint16_t owned_ingress = free_port();
  const uint16_t other_ingress = free_port();
  const std::string owned = engine.add_relay(loopback_relay(owned_ingress, {owned_out.port()}));
  const std::string other = engine.add_relay(loopback_relay(other_ingress, {other_out.port()}));
  engine.set_relay_owned(other, false);
  Sender sender;
  for (uint64_t i = 0; i < 20; ++i) {
    sender.send(owned_ingress, numbered(i));
    sender.send(other_ingress, numbered(i));
  }
  ASSERT_TRUE(owned_out.wait_for(20));
  ASSERT_TRUE(eventually([&] { return engine.stats(other)->not_forwarded_standby == 20; }));
  EXPECT_EQ(other_out.count(), 0u);
  EXPECT_EQ(engine.stats(owned)->not_forwarded_standby, 0u);
}

TEST(RelayOwnership, GainingOwnershipForwardsOnlyLaterDatagrams) {
  Engine engine(small_engine_options());
  engine.set_new_relays_owned(false);
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  for (uint64_t i = 0; i < 30; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->packets_in == 30; }));
  engine.set_relay_owned(id, true);
  for (uint64_t i = 30; i < 40; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(out.wait_for(10));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sequences(out.received()), range(30, 10));
}

TEST(RelayOwnership, ReleasingStopsTheSendsAndTheNodeRoleStillApplies) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  sender.send(ingress, numbered(0));
  ASSERT_TRUE(out.wait_for(1));
  engine.set_relay_owned(id, false);
  sender.send(ingress, numbered(1));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->not_forwarded_standby == 1; }));
  engine.set_relay_owned(id, true);
  engine.set_role(Role::standby);  // owned, but the node is standby: nothing is sent
  sender.send(ingress, numbered(2));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->not_forwarded_standby == 2; }));
  engine.set_forward_until(monotonic_now_ns() - 1);
  engine.set_role(Role::active);  // owned and active, but fenced: held back
  sender.send(ingress, numbered(3));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->held_by_fence == 1; }));
  EXPECT_EQ(out.count(), 1u);
}

TEST(RelayOwnership, SurvivesARebuildAndDisableEnable) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  RelaySpec spec = loopback_relay(ingress, {out.port()});
  const std::string id = engine.add_relay(spec);
  engine.set_relay_owned(id, false);
  spec.enabled = false;
  engine.update_relay(id, spec);
  spec.enabled = true;
  const uint16_t moved_ingress = free_port();
  spec.input.port = moved_ingress;
  engine.update_relay(id, spec);  // enable, then a different ingress: a rebuild
  spec.input.port = free_port();
  engine.update_relay(id, spec);
  Sender sender;
  sender.send(spec.input.port, numbered(0));
  ASSERT_TRUE(eventually([&] { return engine.stats(id)->not_forwarded_standby == 1; }));
  EXPECT_EQ(out.count(), 0u);
  EXPECT_THROW(engine.set_relay_owned("missing", true), EngineError);
}

}  // namespace
}  // namespace mcr
