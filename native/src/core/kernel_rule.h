// The eBPF datapath's rule for one relay, planned from its spec and the facts of its interfaces:
// either the map keys and value the kernel program forwards it by, or the reason the relay stays
// on the socket path. Pure (no system calls): the interface facts come from the caller.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

#include <netinet/in.h>
#include <string>
#include <vector>

#include "core/relay_spec.h"
#include "ebpf/datapath_layout.h"

namespace mcr {

// What the program needs to know about an interface to send through it.
struct InterfaceFacts {
  unsigned index = 0;
  bool ethernet = false;         // ARPHRD_ETHER: the program writes a 14-byte Ethernet header
  bool up = false;               // administratively up with carrier
  std::array<uint8_t, 6> mac{};  // the interface's own address: the source MAC of what it sends
  std::optional<in_addr> ipv4;   // its first IPv4 address, the source of datagrams sent without one
  // The IPv4 reverse path filter the IP input path applies to what arrives here: the larger of
  // net.ipv4.conf.all.rp_filter and net.ipv4.conf.<name>.rp_filter (MCR_EBPF_RP_FILTER_*).
  uint32_t rp_filter = MCR_EBPF_RP_FILTER_OFF;
  bool ipv4_forwarding = false;  // net.ipv4.conf.<name>.forwarding: the program's route lookup needs it
  // The IPv6 source the kernel picks for a datagram to `group` sent out of this interface (what an
  // output socket without `source` sends from; it depends on the group's scope); nullopt: none.
  std::function<std::optional<in6_addr>(const in6_addr& group)> ipv6_source;
};

// nullopt: no interface of that name.
using InterfaceFactsLookup = std::function<std::optional<InterfaceFacts>(const std::string& name)>;

struct KernelRulePlan {
  std::string fallback_reason;  // non-empty: the relay stays on the socket path, this says why
  unsigned ingress_index = 0;
  // An IPv4 relay fills keys and rule, an IPv6 relay keys6 and rule6: one key per SSM source, or
  // one any-source key. relay_slot and outputs[].counter_slot are left for the caller.
  std::vector<mcr_rule_key> keys;
  mcr_rule rule{};
  std::vector<mcr_rule6_key> keys6;
  mcr_rule6 rule6{};

  bool in_kernel() const noexcept { return fallback_reason.empty(); }
};

// The reasons are sentences for operators ("outputs[1].group: unicast destinations need the
// neighbour's MAC; the socket path sends them"); a relay either goes whole or not at all.
KernelRulePlan plan_kernel_rule(const RelaySpec& spec, const InterfaceFactsLookup& lookup);

// The Ethernet address IPv4 multicast maps to (RFC 1112: 01:00:5e + the low 23 bits).
std::array<uint8_t, 6> multicast_mac(in_addr group);
// The Ethernet address IPv6 multicast maps to (RFC 2464: 33:33 + the low 32 bits).
std::array<uint8_t, 6> multicast_mac(const in6_addr& group);

}  // namespace mcr
