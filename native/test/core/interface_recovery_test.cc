// Interface recovery end to end in the core, inside a private network namespace: an ingress or
// output interface deleted and recreated (new index), or taken down and up, is reported once and
// the relay resumes by itself with its counters intact.
#include <gtest/gtest.h>

#include <mutex>
#include <string>
#include <vector>

#include "core/engine.h"
#include "loopback.h"
#include "private_network.h"

namespace mcr {
namespace {

using namespace mcr::test;

constexpr const char* kSenderEnd = "mcrt-a";
constexpr const char* kRelayEnd = "mcrt-b";
constexpr const char* kGroup = "239.9.9.9";

// The events an engine emitted, collected from its threads.
class EventLog {
 public:
  EventSink sink() {
    return [this](const EngineEvent& event) {
      std::lock_guard lock(mutex_);
      events_.push_back(event);
    };
  }
  size_t count(const std::string& type, const std::string& relay_id, const std::string& interface) const {
    std::lock_guard lock(mutex_);
    size_t n = 0;
    for (const EngineEvent& event : events_) {
      n += event.type == type && event.relay_id == relay_id && event.interface == interface ? 1 : 0;
    }
    return n;
  }
  bool wait_for(const std::string& type, const std::string& relay_id, const std::string& interface,
                size_t n = 1) const {
    return eventually([&] { return count(type, relay_id, interface) >= n; });
  }

 private:
  mutable std::mutex mutex_;
  std::vector<EngineEvent> events_;
};

RelaySpec multicast_to_loopback(uint16_t ingress_port, uint16_t output_port) {
  RelaySpec spec;
  spec.name = "recovery";
  spec.input.interface = kRelayEnd;
  spec.input.group = kGroup;
  spec.input.port = ingress_port;
  spec.outputs.push_back(loopback_output(output_port));
  return spec;
}

// Sends [first, first + count) and waits until the receiver holds `expected_total` datagrams.
void send_and_expect(MulticastSender& sender, uint16_t port, uint64_t first, uint64_t count, const Receiver& out,
                     size_t expected_total) {
  for (uint64_t i = first; i < first + count; ++i) sender.send(kSenderEnd, kGroup, port, numbered(i));
  ASSERT_TRUE(out.wait_for(expected_total)) << "received " << out.count() << " of " << expected_total;
}

TEST(InterfaceRecovery, IngressInterfaceDeletedAndRecreatedIsRejoinedByItsNewIndex) {
  in_private_network([] {
    create_veth_pair(kSenderEnd, kRelayEnd);
    EventLog events;
    Engine engine(small_engine_options(), events.sink());
    Receiver out;
    const uint16_t port = free_port();
    const std::string id = engine.add_relay(multicast_to_loopback(port, out.port()));
    MulticastSender sender;
    send_and_expect(sender, port, 0, 10, out, 10);

    const unsigned old_index = if_nametoindex(kRelayEnd);
    shell(std::string("ip link del ") + kRelayEnd);
    ASSERT_TRUE(events.wait_for("interface-down", id, kRelayEnd));
    EXPECT_EQ(engine.stats(id)->interfaces_down, std::vector<std::string>{kRelayEnd});
    // Another interface coming and going does not concern this relay.
    shell("ip link add mcrt-x type veth peer name mcrt-y && ip link del mcrt-x");

    create_veth_pair(kSenderEnd, kRelayEnd);
    ASSERT_NE(if_nametoindex(kRelayEnd), old_index);
    ASSERT_TRUE(events.wait_for("interface-up", id, kRelayEnd));
    EXPECT_TRUE(engine.stats(id)->interfaces_down.empty());
    send_and_expect(sender, port, 10, 10, out, 20);

    EXPECT_EQ(sequences(out.received()), range(0, 20));
    EXPECT_EQ(engine.stats(id)->packets_in, 20u);  // counters survive the recovery
    EXPECT_EQ(events.count("interface-down", id, kRelayEnd), 1u);
    EXPECT_EQ(events.count("interface-up", id, kRelayEnd), 1u);
    EXPECT_EQ(events.count("interface-down", id, "mcrt-x"), 0u);
  });
}

// A redundant relay: A on loopback, its B leg on the veth. While the B leg's interface is gone the
// relay forwards from A; once it is back the B leg's socket is reopened and merges again.
TEST(InterfaceRecovery, TheBLegOfARedundantRelayIsReopenedWhenItsInterfaceReturns) {
  in_private_network([] {
    create_veth_pair(kSenderEnd, kRelayEnd);
    EventLog events;
    Engine engine(small_engine_options(), events.sink());
    Receiver out;
    const uint16_t port_a = free_port();
    const uint16_t port_b = free_port();
    RelaySpec spec = loopback_relay(port_a, {out.port()});
    RedundancySpec redundancy;
    redundancy.input = multicast_to_loopback(port_b, out.port()).input;
    redundancy.key = RedundancyKey::payload;
    spec.redundancy = redundancy;
    const std::string id = engine.add_relay(spec);
    Sender leg_a;
    MulticastSender leg_b;
    const auto send_both = [&](uint64_t first, uint64_t count) {
      for (uint64_t i = first; i < first + count; ++i) {
        leg_a.send(port_a, numbered(i));
        leg_b.send(kSenderEnd, kGroup, port_b, numbered(i));
      }
    };
    send_both(0, 10);
    ASSERT_TRUE(out.wait_for(10));
    ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(1).leg_packets == 10; }));

    shell(std::string("ip link del ") + kRelayEnd);
    ASSERT_TRUE(events.wait_for("interface-down", id, kRelayEnd));
    for (uint64_t i = 10; i < 20; ++i) leg_a.send(port_a, numbered(i));
    ASSERT_TRUE(out.wait_for(20));

    create_veth_pair(kSenderEnd, kRelayEnd);
    ASSERT_TRUE(events.wait_for("interface-up", id, kRelayEnd));
    send_both(20, 10);
    ASSERT_TRUE(out.wait_for(30));
    ASSERT_TRUE(eventually([&] { return engine.stats(id)->legs.at(1).leg_packets == 20; }));
    EXPECT_EQ(sequences(out.received()), range(0, 30));  // each once, in order
  });
}

TEST(InterfaceRecovery, OutputInterfaceDeletedAndRecreatedIsUsedByItsNewIndex) {
  in_private_network([] {
    create_veth_pair(kSenderEnd, kRelayEnd);
    EventLog events;
    Engine engine(small_engine_options(), events.sink());
    // Loopback ingress, multicast output on the veth; the far end is joined by a plain receiver.
    const uint16_t ingress = free_port();
    const uint16_t group_port = free_port();
    RelaySpec spec = loopback_relay(ingress, {});
    OutputSpec output;
    output.interface = kRelayEnd;
    output.group = "239.9.9.10";
    output.port = group_port;
    spec.outputs.push_back(output);
    const std::string id = engine.add_relay(spec);
    Sender sender;

    shell(std::string("ip link del ") + kRelayEnd);
    ASSERT_TRUE(events.wait_for("interface-down", id, kRelayEnd));
    sender.send(ingress, numbered(0));  // nowhere to go: counted as a send error, not fatal
    ASSERT_TRUE(eventually([&] { return engine.stats(id)->packets_in == 1; }));

    create_veth_pair(kSenderEnd, kRelayEnd);
    ASSERT_TRUE(events.wait_for("interface-up", id, kRelayEnd));
    EXPECT_EQ(engine.stats(id)->outputs.at(0).packets, 0u);
    EXPECT_EQ(engine.stats(id)->outputs.at(0).send_errors, 1u);  // the old index is gone: ENODEV
    for (int i = 1; i <= 10; ++i) sender.send(ingress, numbered(static_cast<uint64_t>(i)));
    ASSERT_TRUE(eventually([&] { return engine.stats(id)->outputs.at(0).packets == 10; }));
    EXPECT_EQ(engine.stats(id)->outputs.at(0).send_errors, 1u);
  });
}

TEST(InterfaceRecovery, LinkDownAndUpIsReportedAndTheMembershipHolds) {
  in_private_network([] {
    create_veth_pair(kSenderEnd, kRelayEnd);
    EventLog events;
    Engine engine(small_engine_options(), events.sink());
    Receiver out;
    const uint16_t port = free_port();
    const std::string id = engine.add_relay(multicast_to_loopback(port, out.port()));
    MulticastSender sender;

    shell(std::string("ip link set ") + kRelayEnd + " down");
    ASSERT_TRUE(events.wait_for("interface-down", id, kRelayEnd));
    EXPECT_EQ(engine.stats(id)->interfaces_down, std::vector<std::string>{kRelayEnd});
    shell(std::string("ip link set ") + kRelayEnd + " up");
    ASSERT_TRUE(events.wait_for("interface-up", id, kRelayEnd));
    send_and_expect(sender, port, 0, 10, out, 10);
    EXPECT_EQ(sequences(out.received()), range(0, 10));
  });
}

TEST(InterfaceRecovery, ARelayAddedOnADownInterfaceStartsWaiting) {
  in_private_network([] {
    create_veth_pair(kSenderEnd, kRelayEnd);
    shell(std::string("ip link set ") + kRelayEnd + " down");
    EventLog events;
    Engine engine(small_engine_options(), events.sink());
    Receiver out;
    const uint16_t port = free_port();
    const std::string id = engine.add_relay(multicast_to_loopback(port, out.port()));
    EXPECT_EQ(engine.stats(id)->interfaces_down, std::vector<std::string>{kRelayEnd});
    shell(std::string("ip link set ") + kRelayEnd + " up");
    ASSERT_TRUE(events.wait_for("interface-up", id, kRelayEnd));
    MulticastSender sender;
    send_and_expect(sender, port, 0, 5, out, 5);
  });
}

}  // namespace
}  // namespace mcr
