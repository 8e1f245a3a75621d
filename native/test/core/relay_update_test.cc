// Runtime changes of a relay while traffic flows: output swaps without gap or duplicate,
// rebuilds, removal that really closes the socket, ttl "inherit", and IPv6 <-> IPv4.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "core/engine.h"
#include "loopback.h"

namespace mcr {
namespace {

using namespace mcr::test;

// Keeps sending numbered datagrams to `port`, paced against `witness`, until stopped.
class Traffic {
 public:
  Traffic(uint16_t port, const Receiver& witness)
      : thread_([this, port, &witness] {
          Sender sender;
          while (!stop_) {
            const size_t seen = witness.count();
            if (sent_ - seen > 128) {
              std::this_thread::sleep_for(100us);
              continue;
            }
            sender.send(port, numbered(sent_));
            sent_ = sent_ + 1;
          }
        }) {}
  ~Traffic() { stop(); }
  uint64_t stop() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
    return sent_;
  }
  uint64_t sent() const { return sent_; }

 private:
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> sent_{0};
  std::jthread thread_;
};

TEST(Relay, UpdateSwapsOutputsWithoutAGapOrDuplicateOnTheUnchangedOne) {
  Engine engine(small_engine_options());
  Receiver kept, removed, added;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {kept.port(), removed.port()}));
  Traffic traffic(ingress, kept);
  ASSERT_TRUE(kept.wait_for(2000));
  engine.update_relay(id, loopback_relay(ingress, {added.port(), kept.port()}));
  ASSERT_TRUE(kept.wait_for(kept.count() + 2000));
  engine.update_relay(id, loopback_relay(ingress, {kept.port()}));
  ASSERT_TRUE(kept.wait_for(kept.count() + 1000));
  const uint64_t sent = traffic.stop();
  ASSERT_TRUE(kept.wait_for(sent));
  std::this_thread::sleep_for(50ms);  // let the other receivers read what is still queued

  EXPECT_EQ(sequences(kept.received()), range(0, sent));
  // The swap happened between two batches: every datagram went to exactly one of the two.
  const auto before = sequences(removed.received());
  const auto after = sequences(added.received());
  ASSERT_FALSE(before.empty());
  ASSERT_FALSE(after.empty());
  EXPECT_EQ(before, range(0, before.size()));
  EXPECT_EQ(after, range(before.size(), after.size()));
  EXPECT_LT(before.size() + after.size(), sent);  // the added output left again at the second update
  // The kept output's counters survived both swaps.
  const RelayStats stats = *engine.stats(id);
  ASSERT_EQ(stats.outputs.size(), 1u);
  EXPECT_EQ(stats.outputs[0].packets, sent);
}

TEST(Relay, UpdateKeepsForwardingOtherRelaysUntouched) {
  Engine engine(small_engine_options());
  Receiver steady, changing, other;
  const uint16_t steady_in = free_port(), changing_in = free_port();
  engine.add_relay(loopback_relay(steady_in, {steady.port()}));
  const std::string id = engine.add_relay(loopback_relay(changing_in, {changing.port()}));
  Traffic traffic(steady_in, steady);
  for (int round = 0; round < 20; ++round) {
    engine.update_relay(id, loopback_relay(changing_in, {round % 2 == 0 ? other.port() : changing.port()}));
  }
  engine.remove_relay(id);
  ASSERT_TRUE(steady.wait_for(steady.count() + 500));
  const uint64_t sent = traffic.stop();
  ASSERT_TRUE(steady.wait_for(sent));
  EXPECT_EQ(sequences(steady.received()), range(0, sent));
}

TEST(Relay, DifferentIngressRebuildsTheRelay) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t first_in = free_port(), second_in = free_port();
  const std::string id = engine.add_relay(loopback_relay(first_in, {out.port()}));
  Sender sender;
  sender.send(first_in, numbered(0));
  ASSERT_TRUE(out.wait_for(1));
  engine.update_relay(id, loopback_relay(second_in, {out.port()}));
  sender.send(second_in, numbered(1));
  ASSERT_TRUE(out.wait_for(2));
  EXPECT_EQ(sequences(out.received()), (std::vector<uint64_t>{0, 1}));
  Fd probe = udp_socket(AF_INET);
  EXPECT_TRUE(try_bind(probe, loopback_v4(first_in)));  // the old ingress is closed
  EXPECT_EQ(engine.relay_ids(), std::vector<std::string>{id});
}

TEST(Relay, RefusedUpdateLeavesTheRelayAsItWas) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  RelaySpec bad = loopback_relay(ingress, {out.port(), free_port()});
  bad.outputs[1].interface = "mcr-nope0";
  EXPECT_THROW(engine.update_relay(id, bad), SystemError);
  Sender sender;
  sender.send(ingress, numbered(0));
  ASSERT_TRUE(out.wait_for(1));
  EXPECT_EQ(engine.stats(id)->outputs.size(), 1u);
}

TEST(Relay, RemoveClosesTheIngressSoThePortCanBeBoundAgain) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Fd probe = udp_socket(AF_INET);
  EXPECT_FALSE(try_bind(probe, loopback_v4(ingress)));
  engine.remove_relay(id);
  EXPECT_TRUE(try_bind(probe, loopback_v4(ingress)));
  EXPECT_FALSE(engine.stats(id).has_value());
  EXPECT_TRUE(engine.relay_ids().empty());
}

TEST(Relay, InheritedTtlIsDecrementedAndExpiredDatagramsAreCounted) {
  Engine engine(small_engine_options());
  Receiver inherit, fixed;
  const uint16_t ingress = free_port();
  RelaySpec spec = loopback_relay(ingress, {inherit.port(), fixed.port()});
  spec.outputs[0].ttl = kTtlInherit;
  spec.outputs[1].ttl = 7;
  const std::string id = engine.add_relay(spec);
  Sender sender;
  sender.set_ttl(5);
  sender.send(ingress, numbered(0));
  sender.set_ttl(1);
  sender.send(ingress, numbered(1));
  sender.set_ttl(2);
  sender.send(ingress, numbered(2));
  ASSERT_TRUE(fixed.wait_for(3));
  ASSERT_TRUE(inherit.wait_for(2));
  std::this_thread::sleep_for(50ms);
  const auto received = inherit.received();
  ASSERT_EQ(received.size(), 2u);
  EXPECT_EQ(sequence_of(received[0].payload), 0u);
  EXPECT_EQ(received[0].ttl, 4);
  EXPECT_EQ(sequence_of(received[1].payload), 2u);
  EXPECT_EQ(received[1].ttl, 1);
  for (const Received& datagram : fixed.received()) EXPECT_EQ(datagram.ttl, 7);
  EXPECT_EQ(engine.stats(id)->ttl_expired, 1u);
}

TEST(Relay, UpdateAddingAnInheritOutputTurnsOnTheIngressTtl) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  RelaySpec spec = loopback_relay(ingress, {out.port()});
  spec.outputs[0].ttl = kTtlInherit;
  engine.update_relay(id, spec);
  Sender sender;
  sender.set_ttl(9);
  sender.send(ingress, numbered(0));
  ASSERT_TRUE(out.wait_for(1));
  EXPECT_EQ(out.received().at(0).ttl, 8);
}

TEST(Relay, Ipv6IngressFeedsIpv4AndIpv6Outputs) {
  Engine engine(small_engine_options());
  Receiver v4(AF_INET), v6(AF_INET6);
  const uint16_t ingress = free_port();
  RelaySpec spec = loopback_relay(ingress, {v4.port()}, "::1");
  spec.outputs.push_back(loopback_output(v6.port(), 1, "::1"));
  engine.add_relay(spec);
  Sender sender(AF_INET6);
  for (uint64_t i = 0; i < 10; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(v4.wait_for(10) && v6.wait_for(10));
  EXPECT_EQ(sequences(v4.received()), range(0, 10));
  EXPECT_EQ(sequences(v6.received()), range(0, 10));
}

}  // namespace
}  // namespace mcr
