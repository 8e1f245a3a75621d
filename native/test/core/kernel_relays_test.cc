// The eBPF datapath's bookkeeping against a fake kernel side: which rules and links it installs,
// in which order, which counter slots outputs keep across updates, and the fallback reasons.
#include "core/kernel_relays.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>

#include <map>
#include <set>

namespace mcr {
namespace {

// Records what the engine asks of the kernel; counters are set by the test.
class FakeDatapath : public KernelDatapath {
 public:
  std::map<unsigned, unsigned> holds;       // ifindex -> holds
  std::vector<std::string> log;             // "put <daddr>", "delete <daddr>", "hold <ifindex>", "release <ifindex>"
  std::map<uint32_t, mcr_rule> rules;       // by daddr (one key per rule in these tests)
  std::map<std::string, mcr_rule6> rules6;  // by daddr's text
  std::map<uint32_t, KernelRelayCounts> relay_counts;
  std::map<uint32_t, KernelOutputCounts> output_counts;
  bool refuse_attach = false;
  bool active = true;
  int64_t forward_until = 0;

  void hold_interface(unsigned ifindex) override {
    if (refuse_attach) throw SystemError("", EINVAL, "attaching the eBPF program to tcx ingress of interface 3");
    ++holds[ifindex];
    log.push_back("hold " + std::to_string(ifindex));
  }
  void release_interface(unsigned ifindex) override {
    if (--holds[ifindex] == 0) holds.erase(ifindex);
    log.push_back("release " + std::to_string(ifindex));
  }
  void put_rule(const mcr_rule_key& key, const mcr_rule& rule) override {
    rules[key.daddr] = rule;
    log.push_back("put " + text(key.daddr));
  }
  void delete_rule(const mcr_rule_key& key) override {
    rules.erase(key.daddr);
    log.push_back("delete " + text(key.daddr));
  }
  void put_rule(const mcr_rule6_key& key, const mcr_rule6& rule) override {
    rules6[text6(key.daddr)] = rule;
    log.push_back("put " + text6(key.daddr));
  }
  void delete_rule(const mcr_rule6_key& key) override {
    rules6.erase(text6(key.daddr));
    log.push_back("delete " + text6(key.daddr));
  }
  void reset_relay_counters(uint32_t slot) override { relay_counts[slot] = {}; }
  void reset_output_counters(uint32_t slot) override { output_counts[slot] = {}; }
  KernelRelayCounts relay_counters(uint32_t slot) const override { return relay_counts.at(slot); }
  KernelOutputCounts output_counters(uint32_t slot) const override { return output_counts.at(slot); }
  void set_active(bool value) override { active = value; }
  void set_forward_until(int64_t deadline) override { forward_until = deadline; }

  static std::string text(uint32_t address) {
    char buffer[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &address, buffer, sizeof(buffer));
    return buffer;
  }
  static std::string text6(const uint8_t (&address)[16]) {
    char buffer[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, address, buffer, sizeof(buffer));
    return buffer;
  }
};

InterfaceFacts ethernet(unsigned index) {
  InterfaceFacts facts;
  facts.index = index;
  facts.ethernet = true;
  facts.up = true;
  facts.ipv4 = in_addr{htonl(0x0a000001)};
  facts.ipv6_source = [](const in6_addr&) { return std::optional<in6_addr>(in6addr_loopback); };
  return facts;
}

class KernelRelaysTest : public ::testing::Test {
 protected:
  std::map<std::string, InterfaceFacts> interfaces{{"in0", ethernet(3)}, {"out0", ethernet(4)}, {"in1", ethernet(5)}};
  FakeDatapath* fake = new FakeDatapath;
  KernelRelays relays{std::unique_ptr<KernelDatapath>(fake), "",
                      [this](const std::string& name) -> std::optional<InterfaceFacts> {
                        const auto found = interfaces.find(name);
                        if (found == interfaces.end()) return std::nullopt;
                        return found->second;
                      }};

  // Relay holds atomics (not movable): shared, as the engine holds it.
  static std::shared_ptr<Relay> relay(const char* group, std::vector<const char*> outputs,
                                      const char* ingress = "in0") {
    auto result = std::make_shared<Relay>();
    result->id = "r1";
    result->spec.name = "r1";
    result->spec.input = {ingress, group, 5000, {}};
    for (const char* output : outputs) {
      OutputSpec spec;
      spec.interface = "out0";
      spec.group = output;
      spec.port = 6000;
      result->spec.outputs.push_back(spec);
    }
    return result;
  }

  RelayStats stats_of(const std::shared_ptr<Relay>& relay) const {
    RelayStats stats;
    stats.outputs.resize(relay->spec.outputs.size());
    relays.add_to(stats, *relay);
    return stats;
  }
};

TEST_F(KernelRelaysTest, InstallsTheRuleAndHoldsTheIngressOnce) {
  relays.sync(*relay("239.1.1.1", {"239.2.2.2"}));
  EXPECT_EQ(fake->log, (std::vector<std::string>{"hold 3", "put 239.1.1.1"}));
  relays.sync(*relay("239.1.1.1", {"239.2.2.3"}));  // an update: no second hold
  EXPECT_EQ(fake->holds.at(3), 1u);
  EXPECT_EQ(stats_of(relay("239.1.1.1", {"239.2.2.3"})).datapath, "ebpf");
}

TEST_F(KernelRelaysTest, UnchangedOutputsKeepTheirCounterSlotAndCounts) {
  const auto before = relay("239.1.1.1", {"239.2.2.2", "239.2.2.3"});
  relays.sync(*before);
  const uint32_t kept_slot = fake->rules.at(inet_addr("239.1.1.1")).outputs[1].counter_slot;
  fake->output_counts[kept_slot].packets = 7;
  const auto after = relay("239.1.1.1", {"239.2.2.3", "239.2.2.9"});
  relays.sync(*after);
  const mcr_rule& rule = fake->rules.at(inet_addr("239.1.1.1"));
  EXPECT_EQ(rule.outputs[0].counter_slot, kept_slot);
  EXPECT_NE(rule.outputs[1].counter_slot, kept_slot);
  EXPECT_EQ(fake->output_counts.at(rule.outputs[1].counter_slot).packets, 0u);  // a new output starts at zero
  const RelayStats stats = stats_of(after);
  EXPECT_EQ(stats.outputs[0].packets, 7u);
  EXPECT_EQ(stats.outputs[1].packets, 0u);
}

TEST_F(KernelRelaysTest, AResyncAfterTheIngressRpFilterChangedReplacesTheRule) {
  const auto running = relay("239.1.1.1", {"239.2.2.2"});
  relays.sync(*running);
  EXPECT_EQ(fake->rules.at(inet_addr("239.1.1.1")).rp_filter, MCR_EBPF_RP_FILTER_OFF);
  interfaces["in0"].rp_filter = MCR_EBPF_RP_FILTER_STRICT;  // the sysctl changed; the monitor re-syncs
  interfaces["in0"].ipv4_forwarding = true;
  relays.sync(*running);
  EXPECT_EQ(fake->rules.at(inet_addr("239.1.1.1")).rp_filter, MCR_EBPF_RP_FILTER_STRICT);
  EXPECT_EQ(fake->holds.at(3), 1u);
}

TEST_F(KernelRelaysTest, ANewIngressPutsTheNewRuleBeforeDeletingTheOld) {
  relays.sync(*relay("239.1.1.1", {"239.2.2.2"}));
  fake->log.clear();
  relays.sync(*relay("239.1.1.7", {"239.2.2.2"}, "in1"));
  EXPECT_EQ(fake->log, (std::vector<std::string>{"hold 5", "put 239.1.1.7", "delete 239.1.1.1", "release 3"}));
}

TEST_F(KernelRelaysTest, AnIpv6RelayGoesToTheIpv6MapWithItsCounterSlots) {
  const auto running = relay("ff3e::1:1", {"ff3e::2:2", "ff3e::2:3"});
  relays.sync(*running);
  EXPECT_EQ(fake->log, (std::vector<std::string>{"hold 3", "put ff3e::1:1"}));
  EXPECT_TRUE(fake->rules.empty());
  const mcr_rule6& rule = fake->rules6.at("ff3e::1:1");
  EXPECT_EQ(rule.output_count, 2u);
  EXPECT_NE(rule.outputs[0].counter_slot, rule.outputs[1].counter_slot);
  fake->output_counts[rule.outputs[1].counter_slot].packets = 4;
  fake->relay_counts[rule.relay_slot].packets_in = 4;
  const RelayStats stats = stats_of(running);
  EXPECT_EQ(stats.datapath, "ebpf");
  EXPECT_EQ(stats.packets_in, 4u);
  EXPECT_EQ(stats.outputs[1].packets, 4u);
}

TEST_F(KernelRelaysTest, ARelayChangingFamilyMovesItsRuleToTheOtherMap) {
  relays.sync(*relay("239.1.1.1", {"239.2.2.2"}));
  fake->log.clear();
  relays.sync(*relay("ff3e::1:1", {"ff3e::2:2"}));
  EXPECT_EQ(fake->log, (std::vector<std::string>{"delete 239.1.1.1", "put ff3e::1:1"}));
  relays.forget("r1");
  EXPECT_TRUE(fake->rules6.empty());
  EXPECT_TRUE(fake->holds.empty());
}

TEST_F(KernelRelaysTest, ARelayThatCannotRunInTheKernelIsWithdrawnWithTheReason) {
  const auto multicast = relay("239.1.1.1", {"239.2.2.2"});
  relays.sync(*multicast);
  fake->relay_counts.begin()->second.packets_in = 5;
  const auto unicast = relay("239.1.1.1", {"10.0.0.9"});
  relays.sync(*unicast);
  EXPECT_TRUE(fake->rules.empty());
  EXPECT_TRUE(fake->holds.empty());
  const RelayStats stats = stats_of(unicast);
  EXPECT_EQ(stats.datapath, "socket");
  EXPECT_EQ(stats.datapath_reason,
            "outputs[0].group: unicast destinations need the neighbour's MAC; the socket path sends them");
  EXPECT_EQ(stats.packets_in, 5u);  // what the kernel forwarded before still counts
}

// Input liveness polls packets_in alone: an input the program forwards must not look silent.
TEST_F(KernelRelaysTest, PacketsInIsWhatTheKernelCountedOnTheInput) {
  EXPECT_EQ(relays.packets_in("r1"), 0u);  // never synced: no slot, nothing counted
  relays.sync(*relay("239.1.1.1", {"239.2.2.2"}));
  fake->relay_counts.begin()->second.packets_in = 42;
  EXPECT_EQ(relays.packets_in("r1"), 42u);
  relays.sync(*relay("239.1.1.1", {"10.0.0.9"}));  // withdrawn: what it counted before still counts
  EXPECT_EQ(relays.packets_in("r1"), 42u);
  relays.forget("r1");
  EXPECT_EQ(relays.packets_in("r1"), 0u);
}

TEST_F(KernelRelaysTest, ARelayAnotherNodeOwnsHoldsNoRuleUntilThisNodeClaimsIt) {
  const auto placed = relay("239.1.1.1", {"239.2.2.2"});
  placed->owned = false;
  relays.sync(*placed);
  EXPECT_TRUE(fake->rules.empty());
  EXPECT_EQ(stats_of(placed).datapath_reason, "owner: another node owns the relay (MCR_PLACEMENT=relay)");
  placed->owned = true;
  relays.sync(*placed);
  EXPECT_EQ(stats_of(placed).datapath, "ebpf");
  placed->owned = false;  // a planned release: the rule goes before the owner key does
  relays.sync(*placed);
  EXPECT_TRUE(fake->rules.empty());
}

TEST_F(KernelRelaysTest, AnInterfaceGoingDownWithdrawsAndItsReturnReinstalls) {
  const auto running = relay("239.1.1.1", {"239.2.2.2"});
  relays.sync(*running);
  interfaces["out0"].up = false;
  relays.sync(*running);
  EXPECT_TRUE(fake->rules.empty());
  EXPECT_EQ(stats_of(running).datapath_reason, "outputs[0].interface: interface 'out0' is down");
  interfaces["out0"].up = true;
  interfaces["out0"].index = 14;  // it came back as a new interface
  relays.sync(*running);
  EXPECT_EQ(fake->rules.at(inet_addr("239.1.1.1")).outputs[0].ifindex, 14u);
  EXPECT_EQ(stats_of(running).datapath, "ebpf");
}

TEST_F(KernelRelaysTest, ARefusedAttachmentLeavesTheRelayOnSocketsWithTheKernelsReason) {
  fake->refuse_attach = true;
  const auto running = relay("239.1.1.1", {"239.2.2.2"});
  relays.sync(*running);
  EXPECT_TRUE(fake->rules.empty());
  const RelayStats stats = stats_of(running);
  EXPECT_EQ(stats.datapath, "socket");
  EXPECT_EQ(stats.datapath_reason.rfind("attaching the eBPF program to tcx ingress of interface 3", 0), 0u);
}

TEST_F(KernelRelaysTest, ForgetReleasesEverythingAndRoleAndFenceReachTheKernel) {
  relays.sync(*relay("239.1.1.1", {"239.2.2.2"}));
  relays.set_active(false);
  relays.set_forward_until(12345);
  EXPECT_FALSE(fake->active);
  EXPECT_EQ(fake->forward_until, 12345);
  relays.forget("r1");
  EXPECT_TRUE(fake->rules.empty());
  EXPECT_TRUE(fake->holds.empty());
}

TEST(KernelRelaysUnavailable, EveryRelayRunsOnSocketsWithTheReason) {
  KernelRelays relays(nullptr, "this build of the engine has no eBPF datapath", {});
  Relay relay;
  relay.id = "r1";
  relays.sync(relay);
  RelayStats stats;
  relays.add_to(stats, relay);
  EXPECT_EQ(stats.datapath, "socket");
  EXPECT_EQ(stats.datapath_reason, "this build of the engine has no eBPF datapath");
  EXPECT_EQ(relays.packets_in("r1"), 0u);
}

}  // namespace
}  // namespace mcr
