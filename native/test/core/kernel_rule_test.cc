// The eBPF datapath's planning without the kernel: what goes into the rule map (keys, rewrites,
// map layout) and which relays stay on the socket path, with the reason.
#include "core/kernel_rule.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <map>

namespace mcr {
namespace {

uint32_t ip(const char* text) {
  in_addr address{};
  inet_pton(AF_INET, text, &address);
  return address.s_addr;
}

InterfaceFacts ethernet(unsigned index, uint8_t last_mac_byte, const char* address) {
  InterfaceFacts facts;
  facts.index = index;
  facts.ethernet = true;
  facts.up = true;
  facts.mac = {0x02, 0, 0, 0, 0, last_mac_byte};
  if (address != nullptr) facts.ipv4 = in_addr{ip(address)};
  return facts;
}

class KernelRuleTest : public ::testing::Test {
 protected:
  std::map<std::string, InterfaceFacts> interfaces{{"in0", ethernet(3, 0x10, "10.0.1.1")},
                                                   {"out0", ethernet(4, 0x20, "10.0.2.1")},
                                                   {"out1", ethernet(5, 0x30, nullptr)}};

  KernelRulePlan plan(const RelaySpec& spec) {
    return plan_kernel_rule(spec, [this](const std::string& name) -> std::optional<InterfaceFacts> {
      const auto found = interfaces.find(name);
      if (found == interfaces.end()) return std::nullopt;
      return found->second;
    });
  }

  static RelaySpec relay(std::vector<OutputSpec> outputs) {
    RelaySpec spec;
    spec.name = "r";
    spec.input = {"in0", "239.1.1.1", 5000, {}};
    spec.outputs = std::move(outputs);
    return spec;
  }

  static OutputSpec out(const char* interface, const char* group, uint32_t port) {
    OutputSpec output;
    output.interface = interface;
    output.group = group;
    output.port = port;
    return output;
  }
};

TEST_F(KernelRuleTest, AnySourceRelayIsOneKeyWithTheRewriteOfEachOutput) {
  OutputSpec first = out("out0", "239.2.2.2", 6000);
  first.ttl = 7;
  first.dscp = 46;
  const KernelRulePlan result = plan(relay({first}));
  ASSERT_TRUE(result.in_kernel()) << result.fallback_reason;
  EXPECT_EQ(result.ingress_index, 3u);
  ASSERT_EQ(result.keys.size(), 1u);
  EXPECT_EQ(result.keys[0].ifindex, 3u);
  EXPECT_EQ(result.keys[0].saddr, 0u);
  EXPECT_EQ(result.keys[0].daddr, ip("239.1.1.1"));
  EXPECT_EQ(result.keys[0].dport, htons(5000));
  EXPECT_EQ(result.rule.output_count, 1u);
  const mcr_rule_output& output = result.rule.outputs[0];
  EXPECT_EQ(output.ifindex, 4u);
  EXPECT_EQ(output.daddr, ip("239.2.2.2"));
  EXPECT_EQ(output.saddr, ip("10.0.2.1"));  // the egress interface's address
  EXPECT_EQ(output.dport, htons(6000));
  EXPECT_EQ(output.ttl, 7);
  EXPECT_EQ(output.tos, 46 << 2);
  const uint8_t dmac[6] = {0x01, 0x00, 0x5e, 0x02, 0x02, 0x02};
  const uint8_t smac[6] = {0x02, 0, 0, 0, 0, 0x20};
  EXPECT_EQ(0, memcmp(output.dmac, dmac, 6));
  EXPECT_EQ(0, memcmp(output.smac, smac, 6));
}

TEST_F(KernelRuleTest, SourceSpecificRelayIsOneKeyPerSource) {
  RelaySpec spec = relay({out("out0", "239.2.2.2", 6000)});
  spec.input.sources = {"10.9.9.1", "10.9.9.2"};
  const KernelRulePlan result = plan(spec);
  ASSERT_EQ(result.keys.size(), 2u);
  EXPECT_EQ(result.keys[0].saddr, ip("10.9.9.1"));
  EXPECT_EQ(result.keys[1].saddr, ip("10.9.9.2"));
}

TEST_F(KernelRuleTest, InheritedTtlAndAnExplicitSourceAreCarried) {
  OutputSpec output = out("out1", "239.2.2.2", 6000);
  output.ttl = kTtlInherit;
  output.source = "192.0.2.9";
  const KernelRulePlan result = plan(relay({output}));
  ASSERT_TRUE(result.in_kernel()) << result.fallback_reason;
  EXPECT_EQ(result.rule.outputs[0].ttl, MCR_EBPF_TTL_INHERIT);
  EXPECT_EQ(result.rule.outputs[0].saddr, ip("192.0.2.9"));
}

TEST_F(KernelRuleTest, DisabledRelayHoldsNoRule) {
  RelaySpec spec = relay({out("out0", "239.2.2.2", 6000)});
  spec.enabled = false;
  const KernelRulePlan result = plan(spec);
  EXPECT_FALSE(result.in_kernel());
  EXPECT_EQ(result.fallback_reason, "enabled: a disabled relay holds no rule and no socket");
}

TEST_F(KernelRuleTest, RedundantRelayAndOnDemandOutputStayOnTheSocketPath) {
  RelaySpec redundant = relay({out("out0", "239.2.2.2", 6000)});
  redundant.redundancy = RedundancySpec{};
  EXPECT_EQ(plan(redundant).fallback_reason, "redundancy: the merge and failover of two legs run on the socket path");
  RelaySpec on_demand = relay({out("out0", "239.2.2.2", 6000)});
  on_demand.outputs[0].on_demand = true;
  EXPECT_EQ(plan(on_demand).fallback_reason, "outputs[0].onDemand: the querier's gate is on the socket path");
}

TEST_F(KernelRuleTest, UnicastOutputFallsBackBecauseTheProgramHasNoNeighbourMac) {
  const KernelRulePlan result = plan(relay({out("out0", "239.2.2.2", 6000), out("out0", "10.0.2.9", 6000)}));
  EXPECT_FALSE(result.in_kernel());
  EXPECT_EQ(result.fallback_reason,
            "outputs[1].group: unicast destinations need the neighbour's MAC; the socket path sends them");
}

TEST_F(KernelRuleTest, Ipv6FallsBack) {
  RelaySpec spec = relay({out("out0", "ff3e::1", 6000)});
  spec.input.group = "ff3e::2";
  EXPECT_EQ(plan(spec).fallback_reason,
            "input.group: IPv6 relays use the socket path (the eBPF datapath is IPv4 only)");
}

TEST_F(KernelRuleTest, OutputWithoutAnyIpv4SourceFallsBack) {
  EXPECT_EQ(plan(relay({out("out1", "239.2.2.2", 6000)})).fallback_reason,
            "outputs[0].interface: 'out1' has no IPv4 address to send from");
}

TEST_F(KernelRuleTest, DownMissingOrNonEthernetInterfacesFallBack) {
  interfaces["out0"].up = false;
  EXPECT_EQ(plan(relay({out("out0", "239.2.2.2", 6000)})).fallback_reason,
            "outputs[0].interface: interface 'out0' is down");
  interfaces["out0"].up = true;
  interfaces["in0"].ethernet = false;
  EXPECT_EQ(plan(relay({out("out0", "239.2.2.2", 6000)})).fallback_reason,
            "input.interface: interface 'in0' is not Ethernet");
  EXPECT_EQ(plan(relay({out("gone0", "239.2.2.2", 6000)})).fallback_reason,
            "input.interface: interface 'in0' is not Ethernet");
  interfaces["in0"].ethernet = true;
  EXPECT_EQ(plan(relay({out("gone0", "239.2.2.2", 6000)})).fallback_reason,
            "outputs[0].interface: interface 'gone0' does not exist");
}

TEST_F(KernelRuleTest, MoreOutputsThanTheProgramUnrollsFallBack) {
  std::vector<OutputSpec> outputs(MCR_EBPF_MAX_OUTPUTS + 1, out("out0", "239.2.2.2", 6000));
  EXPECT_EQ(plan(relay(outputs)).fallback_reason, "outputs: more than 16 outputs; the socket path fans them out");
}

TEST(MulticastMac, KeepsTheLow23BitsOfTheGroup) {
  const auto mac = multicast_mac(in_addr{ip("239.129.2.3")});  // 239.129: the 24th bit drops
  EXPECT_EQ(mac, (std::array<uint8_t, 6>{0x01, 0x00, 0x5e, 0x01, 0x02, 0x03}));
}

// The C++ and BPF compilers must lay the map entries out alike: fixed sizes, no hidden padding.
TEST(DatapathLayout, MapEntriesHaveTheSizesTheProgramUses) {
  EXPECT_EQ(sizeof(mcr_rule_key), 16u);
  EXPECT_EQ(sizeof(mcr_rule_output), 32u);
  EXPECT_EQ(sizeof(mcr_rule), 8u + MCR_EBPF_MAX_OUTPUTS * 32u);
  EXPECT_EQ(sizeof(mcr_control), 16u);
  EXPECT_EQ(sizeof(mcr_relay_counters) % 8, 0u);
  EXPECT_EQ(sizeof(mcr_output_counters) % 8, 0u);
}

}  // namespace
}  // namespace mcr
