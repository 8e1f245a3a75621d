// A disabled relay holds nothing on the host: no socket (the port is free), no group membership
// (/proc/net/igmp), nothing received while traffic arrives. Enabling opens its sockets again with
// its counters intact, and toggling one relay never pauses another.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "core/engine.h"
#include "loopback.h"
#include "private_network.h"

namespace mcr {
namespace {

using namespace mcr::test;

constexpr const char* kSenderEnd = "mcrd-a";
constexpr const char* kRelayEnd = "mcrd-b";
constexpr const char* kGroup = "239.9.9.10";
constexpr const char* kGroupInIgmp = "0A0909EF";  // kGroup as /proc/net/igmp prints it (hex, little-endian)

bool port_is_free(uint16_t port) {
  Fd probe = udp_socket(AF_INET);
  return try_bind(probe, loopback_v4(port));
}

// Whether the host holds a membership of kGroup on interface `name` (the kernel's own table).
// thread-self: /proc/net is the main thread's namespace, the test body runs in its own.
bool joined_on(const std::string& name) {
  std::ifstream igmp("/proc/thread-self/net/igmp");
  std::string line;
  bool in_interface = false;
  while (std::getline(igmp, line)) {
    if (!line.empty() && line[0] != '\t') {
      std::istringstream fields(line);
      std::string index, device;
      fields >> index >> device;
      in_interface = device == name + ":" || device == name;  // a long name touches the colon
    } else if (in_interface && line.find(kGroupInIgmp) != std::string::npos) {
      return true;
    }
  }
  return false;
}

RelaySpec disabled(RelaySpec spec) {
  spec.enabled = false;
  return spec;
}

TEST(DisabledRelay, HoldsNoSocketAndReceivesNothingUntilEnabled) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const RelaySpec spec = loopback_relay(ingress, {out.port()});
  const std::string id = engine.add_relay(disabled(spec));
  EXPECT_TRUE(port_is_free(ingress));
  Sender sender;
  for (uint64_t i = 0; i < 20; ++i) sender.send(ingress, numbered(i));
  std::this_thread::sleep_for(50ms);
  const RelayStats parked = *engine.stats(id);
  EXPECT_FALSE(parked.enabled);
  EXPECT_EQ(parked.packets_in, 0u);
  EXPECT_EQ(parked.not_forwarded_standby, 0u);
  EXPECT_EQ(parked.rcvbuf_bytes, 0);
  ASSERT_EQ(parked.outputs.size(), 1u);  // outputs are listed, with nothing sent

  engine.update_relay(id, spec);
  EXPECT_FALSE(port_is_free(ingress));
  for (uint64_t i = 20; i < 30; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(out.wait_for(10));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(sequences(out.received()), range(20, 10));
  EXPECT_TRUE(engine.stats(id)->enabled);
}

TEST(DisabledRelay, DisablingClosesTheSocketsAndKeepsTheCounters) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  const RelaySpec spec = loopback_relay(ingress, {out.port()});
  const std::string id = engine.add_relay(spec);
  Sender sender;
  for (uint64_t i = 0; i < 10; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(out.wait_for(10));

  engine.update_relay(id, disabled(spec));
  EXPECT_TRUE(port_is_free(ingress));
  for (uint64_t i = 10; i < 20; ++i) sender.send(ingress, numbered(i));
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(engine.stats(id)->packets_in, 10u);

  engine.update_relay(id, spec);
  for (uint64_t i = 20; i < 30; ++i) sender.send(ingress, numbered(i));
  ASSERT_TRUE(out.wait_for(20));
  std::this_thread::sleep_for(50ms);
  const RelayStats stats = *engine.stats(id);
  EXPECT_EQ(stats.packets_in, 20u);
  EXPECT_EQ(stats.outputs.at(0).packets, 20u);  // the unchanged output kept its counters
  EXPECT_EQ(stats.not_forwarded_standby, 0u);
  auto expected = range(0, 10);
  const auto after = range(20, 10);
  expected.insert(expected.end(), after.begin(), after.end());
  EXPECT_EQ(sequences(out.received()), expected);
}

TEST(DisabledRelay, ChangingADisabledRelayOpensNothing) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t first_in = free_port(), second_in = free_port();
  const std::string id = engine.add_relay(disabled(loopback_relay(first_in, {out.port()})));
  engine.update_relay(id, disabled(loopback_relay(second_in, {out.port(), free_port()})));
  EXPECT_TRUE(port_is_free(first_in));
  EXPECT_TRUE(port_is_free(second_in));
  EXPECT_EQ(engine.stats(id)->outputs.size(), 2u);
  engine.remove_relay(id);
  EXPECT_TRUE(engine.relay_ids().empty());
}

TEST(DisabledRelay, OnAMissingInterfaceIsAcceptedAndEnablingIsRefusedWithoutChange) {
  Engine engine(small_engine_options());
  Receiver out;
  const uint16_t ingress = free_port();
  RelaySpec spec = loopback_relay(ingress, {out.port()});
  spec.outputs[0].interface = "mcr-nope0";
  const std::string id = engine.add_relay(disabled(spec));
  EXPECT_THROW(engine.update_relay(id, spec), SystemError);
  EXPECT_FALSE(engine.stats(id)->enabled);
  EXPECT_TRUE(port_is_free(ingress));  // the ingress opened before the refusal was closed again
}

TEST(DisabledRelay, TogglingOneRelayNeverPausesAnother) {
  Engine engine(small_engine_options());
  Receiver steady, toggled;
  const uint16_t steady_in = free_port(), toggled_in = free_port();
  engine.add_relay(loopback_relay(steady_in, {steady.port()}));
  const RelaySpec spec = loopback_relay(toggled_in, {toggled.port()});
  const std::string id = engine.add_relay(spec);
  Sender sender;
  uint64_t sent = 0;
  for (int round = 0; round < 20; ++round) {
    for (int i = 0; i < 50; ++i) sender.send(steady_in, numbered(sent++));
    engine.update_relay(id, round % 2 == 0 ? disabled(spec) : spec);
  }
  ASSERT_TRUE(steady.wait_for(sent));
  EXPECT_EQ(sequences(steady.received()), range(0, sent));
}

TEST(DisabledRelay, LeavesItsMulticastGroupAndJoinsAgainWhenEnabled) {
  in_private_network([] {
    create_veth_pair(kSenderEnd, kRelayEnd);
    Engine engine(small_engine_options());
    Receiver out;
    RelaySpec spec;
    spec.name = "membership";
    spec.input.interface = kRelayEnd;
    spec.input.group = kGroup;
    spec.input.port = free_port();
    spec.outputs.push_back(loopback_output(out.port()));
    const std::string id = engine.add_relay(disabled(spec));
    EXPECT_FALSE(joined_on(kRelayEnd));
    MulticastSender sender;
    sender.send(kSenderEnd, kGroup, static_cast<uint16_t>(spec.input.port), numbered(0));

    engine.update_relay(id, spec);
    EXPECT_TRUE(joined_on(kRelayEnd));
    sender.send(kSenderEnd, kGroup, static_cast<uint16_t>(spec.input.port), numbered(1));
    ASSERT_TRUE(out.wait_for(1));

    engine.update_relay(id, disabled(spec));
    EXPECT_FALSE(joined_on(kRelayEnd));
    sender.send(kSenderEnd, kGroup, static_cast<uint16_t>(spec.input.port), numbered(2));
    std::this_thread::sleep_for(50ms);
    EXPECT_EQ(sequences(out.received()), std::vector<uint64_t>{1});
    EXPECT_EQ(engine.stats(id)->packets_in, 1u);
  });
}

}  // namespace
}  // namespace mcr
