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

in6_addr ip6(const char* text) {
  in6_addr address{};
  inet_pton(AF_INET6, text, &address);
  return address;
}

bool same_address(const uint8_t (&bytes)[16], const char* text) {
  const in6_addr expected = ip6(text);
  return memcmp(bytes, expected.s6_addr, 16) == 0;
}

// The kernel's source address selection, as this fake host has it: a link-scope group (ff02::/16,
// ff12::/16...) gets the link-local address, a wider one the global address (when there is one).
std::function<std::optional<in6_addr>(const in6_addr&)> ipv6_sources(const char* link_local, const char* global) {
  return [=](const in6_addr& group) -> std::optional<in6_addr> {
    const bool link_scope = (group.s6_addr[1] & 0x0f) <= 2;
    const char* source = link_scope || global == nullptr ? link_local : global;
    if (source == nullptr) return std::nullopt;
    return ip6(source);
  };
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

  void SetUp() override {
    interfaces["out0"].ipv6_source = ipv6_sources("fe80::20", "fd00:2::1");
    interfaces["out1"].ipv6_source = ipv6_sources(nullptr, nullptr);
  }

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

TEST_F(KernelRuleTest, RuleCarriesTheIngressInterfacesReversePathFilter) {
  EXPECT_EQ(plan(relay({out("out0", "239.2.2.2", 6000)})).rule.rp_filter, MCR_EBPF_RP_FILTER_OFF);
  interfaces["in0"].ipv4_forwarding = true;
  interfaces["in0"].rp_filter = MCR_EBPF_RP_FILTER_STRICT;
  EXPECT_EQ(plan(relay({out("out0", "239.2.2.2", 6000)})).rule.rp_filter, MCR_EBPF_RP_FILTER_STRICT);
  interfaces["in0"].rp_filter = MCR_EBPF_RP_FILTER_LOOSE;
  interfaces["out0"].rp_filter = MCR_EBPF_RP_FILTER_STRICT;  // an egress interface's filter does not apply
  EXPECT_EQ(plan(relay({out("out0", "239.2.2.2", 6000)})).rule.rp_filter, MCR_EBPF_RP_FILTER_LOOSE);
}

TEST_F(KernelRuleTest, RpFilterWithoutForwardingOnTheIngressStaysOnTheSocketPath) {
  interfaces["in0"].rp_filter = MCR_EBPF_RP_FILTER_LOOSE;
  const KernelRulePlan result = plan(relay({out("out0", "239.2.2.2", 6000)}));
  EXPECT_FALSE(result.in_kernel());
  EXPECT_EQ(result.fallback_reason,
            "input.interface: rp_filter is on and IPv4 forwarding is off on 'in0'; the program's source check (a route "
            "lookup) needs net.ipv4.conf.in0.forwarding=1, the socket path applies rp_filter");
  interfaces["in0"].rp_filter = MCR_EBPF_RP_FILTER_OFF;  // no source check, no lookup: forwarding does not matter
  EXPECT_TRUE(plan(relay({out("out0", "239.2.2.2", 6000)})).in_kernel());
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

// Found by the analysis e2e suite on eBPF: a relay asked for RTP or TS analysis ran in the kernel and
// reported no loss, no continuity error and no jitter whatever its input suffered.
TEST_F(KernelRuleTest, ExplicitStreamAnalysisStaysOnTheSocketPathAutoAndOffRunInTheKernel) {
  for (const AnalyzeMode mode : {AnalyzeMode::rtp, AnalyzeMode::ts}) {
    RelaySpec analysed = relay({out("out0", "239.2.2.2", 6000)});
    analysed.analyze = mode;
    EXPECT_EQ(plan(analysed).fallback_reason,
              "analyze: the RTP and MPEG-TS analysis reads each datagram on the socket path");
  }
  for (const AnalyzeMode mode : {AnalyzeMode::auto_detect, AnalyzeMode::off}) {
    RelaySpec spec = relay({out("out0", "239.2.2.2", 6000)});
    spec.analyze = mode;
    EXPECT_TRUE(plan(spec).in_kernel());
  }
}

TEST_F(KernelRuleTest, UnicastOutputFallsBackBecauseTheProgramHasNoNeighbourMac) {
  const KernelRulePlan result = plan(relay({out("out0", "239.2.2.2", 6000), out("out0", "10.0.2.9", 6000)}));
  EXPECT_FALSE(result.in_kernel());
  EXPECT_EQ(result.fallback_reason,
            "outputs[1].group: unicast destinations need the neighbour's MAC; the socket path sends them");
}

RelaySpec relay6(std::vector<OutputSpec> outputs) {
  RelaySpec spec;
  spec.name = "r6";
  spec.input = {"in0", "ff3e::1:1", 5000, {}};
  spec.outputs = std::move(outputs);
  return spec;
}

TEST_F(KernelRuleTest, Ipv6RelayGoesToTheIpv6RuleWithTheRewriteOfEachOutput) {
  OutputSpec first = out("out0", "ff3e::2:2", 6000);
  first.ttl = 7;
  first.dscp = 46;
  const KernelRulePlan result = plan(relay6({first}));
  ASSERT_TRUE(result.in_kernel()) << result.fallback_reason;
  EXPECT_TRUE(result.keys.empty());
  ASSERT_EQ(result.keys6.size(), 1u);
  const mcr_rule6_key& key = result.keys6[0];
  EXPECT_EQ(key.ifindex, 3u);
  EXPECT_TRUE(same_address(key.saddr, "::"));  // any source
  EXPECT_TRUE(same_address(key.daddr, "ff3e::1:1"));
  EXPECT_EQ(key.dport, htons(5000));
  ASSERT_EQ(result.rule6.output_count, 1u);
  const mcr_rule6_output& output = result.rule6.outputs[0];
  EXPECT_EQ(output.ifindex, 4u);
  EXPECT_TRUE(same_address(output.daddr, "ff3e::2:2"));
  EXPECT_TRUE(same_address(output.saddr, "fd00:2::1"));  // what the kernel picks for a global-scope group
  EXPECT_EQ(output.dport, htons(6000));
  EXPECT_EQ(output.hop_limit, 7);
  EXPECT_EQ(output.tclass, 46 << 2);
  const uint8_t dmac[6] = {0x33, 0x33, 0x00, 0x02, 0x00, 0x02};
  const uint8_t smac[6] = {0x02, 0, 0, 0, 0, 0x20};
  EXPECT_EQ(0, memcmp(output.dmac, dmac, 6));
  EXPECT_EQ(0, memcmp(output.smac, smac, 6));
}

TEST_F(KernelRuleTest, Ipv6SourceFollowsTheGroupsScopeAsTheKernelPicksIt) {
  OutputSpec link_scope = out("out0", "ff12::5", 6000);
  link_scope.ttl = kTtlInherit;
  const KernelRulePlan result = plan(relay6({link_scope, out("out0", "ff15::5", 6001)}));
  ASSERT_TRUE(result.in_kernel()) << result.fallback_reason;
  EXPECT_TRUE(same_address(result.rule6.outputs[0].saddr, "fe80::20"));
  EXPECT_EQ(result.rule6.outputs[0].hop_limit, MCR_EBPF_TTL_INHERIT);
  EXPECT_TRUE(same_address(result.rule6.outputs[1].saddr, "fd00:2::1"));
}

TEST_F(KernelRuleTest, Ipv6SourceSpecificRelayAndAnExplicitSource) {
  OutputSpec output = out("out1", "ff3e::2:2", 6000);
  output.source = "2001:db8::9";
  RelaySpec spec = relay6({output});
  spec.input.sources = {"fd00:9::1", "fd00:9::2"};
  const KernelRulePlan result = plan(spec);
  ASSERT_TRUE(result.in_kernel()) << result.fallback_reason;
  ASSERT_EQ(result.keys6.size(), 2u);
  EXPECT_TRUE(same_address(result.keys6[0].saddr, "fd00:9::1"));
  EXPECT_TRUE(same_address(result.keys6[1].saddr, "fd00:9::2"));
  EXPECT_TRUE(same_address(result.rule6.outputs[0].saddr, "2001:db8::9"));  // out1 has no address of its own
}

TEST_F(KernelRuleTest, Ipv6OutputWithoutASourceFallsBack) {
  EXPECT_EQ(plan(relay6({out("out1", "ff3e::2:2", 6000)})).fallback_reason,
            "outputs[0].interface: 'out1' has no IPv6 address to send from");
}

TEST_F(KernelRuleTest, Ipv6UnicastOutputFallsBack) {
  EXPECT_EQ(plan(relay6({out("out0", "fd00:2::9", 6000)})).fallback_reason,
            "outputs[0].group: unicast destinations need the neighbour's MAC; the socket path sends them");
}

TEST_F(KernelRuleTest, TranslationBetweenIpv4AndIpv6FallsBack) {
  EXPECT_EQ(plan(relay({out("out0", "ff3e::2:2", 6000)})).fallback_reason,
            "outputs[0].group: IPv4 to IPv6 translation runs on the socket path");
  EXPECT_EQ(plan(relay6({out("out0", "239.2.2.2", 6000)})).fallback_reason,
            "outputs[0].group: IPv6 to IPv4 translation runs on the socket path");
  OutputSpec v4_source = out("out0", "ff3e::2:2", 6000);
  v4_source.source = "10.0.2.1";
  EXPECT_EQ(plan(relay6({v4_source})).fallback_reason,
            "outputs[0].source: IPv6 to IPv4 translation runs on the socket path");
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

TEST(MulticastMac, Ipv6KeepsTheLow32BitsOfTheGroup) {
  EXPECT_EQ(multicast_mac(ip6("ff3e::8000:1234")), (std::array<uint8_t, 6>{0x33, 0x33, 0x80, 0x00, 0x12, 0x34}));
}

// The C++ and BPF compilers must lay the map entries out alike: fixed sizes, no hidden padding.
TEST(DatapathLayout, MapEntriesHaveTheSizesTheProgramUses) {
  EXPECT_EQ(sizeof(mcr_rule_key), 16u);
  EXPECT_EQ(sizeof(mcr_rule_output), 32u);
  EXPECT_EQ(sizeof(mcr_rule), 16u + MCR_EBPF_MAX_OUTPUTS * 32u);
  EXPECT_EQ(sizeof(mcr_rule6_key), 40u);
  EXPECT_EQ(sizeof(mcr_rule6_output), 56u);
  EXPECT_EQ(sizeof(mcr_rule6), 8u + MCR_EBPF_MAX_OUTPUTS * 56u);
  EXPECT_EQ(offsetof(mcr_rule6_output, saddr) % 8, 0u);  // the program compares addresses as 64-bit words
  EXPECT_EQ(sizeof(mcr_control), 16u);
  EXPECT_EQ(sizeof(mcr_relay_counters) % 8, 0u);
  EXPECT_EQ(sizeof(mcr_output_counters) % 8, 0u);
}

}  // namespace
}  // namespace mcr
