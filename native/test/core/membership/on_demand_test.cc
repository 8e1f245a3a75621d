// On-demand outputs through the engine: while no member of the group is reported on the output's
// interface the output sends nothing and counts what it pruned (datagrams and time); once the
// membership table reports a member it sends, and it stops again when the member is gone. The
// gates are driven by hand here, as the querier drives them from its tables.
#include <gtest/gtest.h>

#include "../loopback.h"
#include "../private_network.h"
#include "core/engine.h"
#include "core/membership/listener_gates.h"
#include "net/clock.h"

namespace mcr {
namespace {

using namespace std::chrono_literals;

membership::Message join(const char* group) {
  membership::Message report;
  report.version = 3;
  report.sender = *parse_ip_address("10.99.0.1");
  report.records.push_back({membership::RecordType::is_exclude, *parse_ip_address(group), {}});
  return report;
}

TEST(OnDemandOutput, SendsOnlyWhileAMemberIsReportedAndCountsWhatItPruned) {
  test::in_private_network([] {
    test::create_veth_pair("da", "db");
    Engine engine(test::small_engine_options());
    const uint16_t ingress = test::free_port();
    RelaySpec spec = test::loopback_relay(ingress, {});
    OutputSpec output;
    output.interface = "db";
    output.group = "239.7.7.7";
    output.port = 7000;
    output.on_demand = true;
    spec.outputs.push_back(output);
    const std::string id = engine.add_relay(spec);
    const auto output_stats = [&] { return engine.stats(id)->outputs.at(0); };
    const auto received = [&] { return engine.stats(id)->packets_in; };
    test::Sender sender;

    for (int i = 0; i < 50; ++i) sender.send(ingress, test::numbered(i));
    ASSERT_TRUE(test::eventually([&] { return received() == 50; }));
    EXPECT_EQ(output_stats().packets, 0u);
    EXPECT_EQ(output_stats().pruned, 50u);

    membership::GroupTable table(membership::Timers{}, 3);
    table.apply_report(join("239.7.7.7"), monotonic_now_ns());
    engine.listener_gates()->update("db", AF_INET, table, monotonic_now_ns());
    for (int i = 50; i < 80; ++i) sender.send(ingress, test::numbered(i));
    ASSERT_TRUE(test::eventually([&] { return output_stats().packets == 30; }));
    EXPECT_EQ(output_stats().pruned, 50u);
    const uint64_t pruned_ms = output_stats().pruned_ms;

    table.expire(INT64_MAX);  // the member's report timed out
    engine.listener_gates()->update("db", AF_INET, table, monotonic_now_ns());
    std::this_thread::sleep_for(30ms);
    for (int i = 80; i < 90; ++i) sender.send(ingress, test::numbered(i));
    ASSERT_TRUE(test::eventually([&] { return output_stats().pruned == 60; }));
    EXPECT_EQ(output_stats().packets, 30u);
    EXPECT_GE(output_stats().pruned_ms, pruned_ms + 30);
  });
}

TEST(OnDemandOutput, AGateOpensAtOnceForAGroupAlreadyReported) {
  membership::ListenerGates gates;
  membership::Message report = join("ff3e::7");
  report.sender = *parse_ip_address("fe80::1");
  membership::GroupTable v6(membership::Timers{}, 2);
  v6.apply_report(report, 0);
  gates.update("eth1", AF_INET6, v6, 0);
  EXPECT_TRUE(gates.acquire("eth1", *parse_ip_address("ff3e::7"), 1)->is_open());
  EXPECT_FALSE(gates.acquire("eth2", *parse_ip_address("ff3e::7"), 1)->is_open());
  EXPECT_FALSE(gates.acquire("eth1", *parse_ip_address("ff3e::8"), 1)->is_open());
}

TEST(OnDemandOutput, OnlyAMulticastGroupCanBeOnDemand) {
  RelaySpec spec = test::loopback_relay(test::free_port(), {test::free_port()});
  spec.outputs[0].on_demand = true;
  try {
    Engine engine(test::small_engine_options());
    engine.add_relay(spec);
    FAIL() << "a unicast on-demand output was accepted";
  } catch (const EngineError& error) {
    EXPECT_EQ(error.field(), "outputs[0].onDemand");
  }
}

}  // namespace
}  // namespace mcr
