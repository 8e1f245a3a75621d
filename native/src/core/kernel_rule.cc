// Planning a relay's eBPF rule: every check that decides between the kernel and the socket path.
#include "core/kernel_rule.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "net/address.h"

namespace mcr {

namespace {

constexpr int kDscpShift = 2;  // DSCP is the upper six bits of the TOS byte (the traffic class)

struct Refusal {
  std::string reason;
};

std::string family_label(int family) {
  return family == AF_INET6 ? "IPv6" : "IPv4";
}

// The relay's addresses are all of its input group's family: the program rewrites headers in
// place, it does not translate between IPv4 and IPv6 (a header of another size).
IpAddress require_family(const std::string& text, int family, const std::string& field) {
  const auto address = parse_ip_address(text);
  if (!address) throw Refusal{field + ": '" + text + "' is not an IPv4 or IPv6 address"};
  if (address->family != family) {
    throw Refusal{field + ": " + family_label(family) + " to " + family_label(address->family) +
                  " translation runs on the socket path"};
  }
  return *address;
}

InterfaceFacts require_interface(const InterfaceFactsLookup& lookup, const std::string& name,
                                 const std::string& field) {
  const auto facts = lookup(name);
  if (!facts || facts->index == 0) throw Refusal{field + ": interface '" + name + "' does not exist"};
  if (!facts->up) throw Refusal{field + ": interface '" + name + "' is down"};
  if (!facts->ethernet) throw Refusal{field + ": interface '" + name + "' is not Ethernet"};
  return *facts;
}

void require_multicast(const IpAddress& group, const std::string& field) {
  if (!is_multicast(group)) {
    throw Refusal{field + ": unicast destinations need the neighbour's MAC; the socket path sends them"};
  }
}

// What both families' outputs carry alike.
template <typename Output>
void fill_link(Output& output, const OutputSpec& spec, const InterfaceFacts& egress,
               const std::array<uint8_t, 6>& dmac) {
  output.ifindex = egress.index;
  output.dport = htons(static_cast<uint16_t>(spec.port));
  std::copy(dmac.begin(), dmac.end(), output.dmac);
  std::copy(egress.mac.begin(), egress.mac.end(), output.smac);
}

uint8_t kernel_ttl(const OutputSpec& spec) {
  return spec.ttl == kTtlInherit ? MCR_EBPF_TTL_INHERIT : static_cast<uint8_t>(spec.ttl);
}

mcr_rule_output plan_output4(const OutputSpec& spec, const std::string& field, const InterfaceFactsLookup& lookup) {
  const IpAddress group = require_family(spec.group, AF_INET, field + ".group");
  require_multicast(group, field + ".group");
  const InterfaceFacts egress = require_interface(lookup, spec.interface, field + ".interface");
  std::optional<in_addr> source = egress.ipv4;
  if (!spec.source.empty()) source = require_family(spec.source, AF_INET, field + ".source").v4;
  if (!source) throw Refusal{field + ".interface: '" + spec.interface + "' has no IPv4 address to send from"};

  mcr_rule_output output{};
  fill_link(output, spec, egress, multicast_mac(group.v4));
  output.saddr = source->s_addr;
  output.daddr = group.v4.s_addr;
  output.ttl = kernel_ttl(spec);
  output.tos = static_cast<uint8_t>(spec.dscp << kDscpShift);
  return output;
}

mcr_rule6_output plan_output6(const OutputSpec& spec, const std::string& field, const InterfaceFactsLookup& lookup) {
  const IpAddress group = require_family(spec.group, AF_INET6, field + ".group");
  require_multicast(group, field + ".group");
  const InterfaceFacts egress = require_interface(lookup, spec.interface, field + ".interface");
  std::optional<in6_addr> source;
  if (!spec.source.empty()) {
    source = require_family(spec.source, AF_INET6, field + ".source").v6;
  } else if (egress.ipv6_source) {
    source = egress.ipv6_source(group.v6);  // the address the socket path's kernel would pick
  }
  if (!source) throw Refusal{field + ".interface: '" + spec.interface + "' has no IPv6 address to send from"};

  mcr_rule6_output output{};
  fill_link(output, spec, egress, multicast_mac(group.v6));
  std::memcpy(output.saddr, source->s6_addr, sizeof(output.saddr));
  std::memcpy(output.daddr, group.v6.s6_addr, sizeof(output.daddr));
  output.hop_limit = kernel_ttl(spec);
  output.tclass = static_cast<uint8_t>(spec.dscp << kDscpShift);
  return output;
}

// What the program cannot do that the socket path does: a disabled relay holds nothing, a
// redundant relay's merge window and an on-demand output's gate live in the worker, and so does the
// stream analysis. An explicit "rtp" or "ts" asks for that analysis: the relay stays where it runs.
// "auto" (the default) runs in the kernel and analyses nothing there (docs/ebpf-datapath.md): were
// it refused too, no relay left at its defaults would ever run on eBPF.
void require_kernel_semantics(const RelaySpec& spec) {
  if (!spec.enabled) throw Refusal{"enabled: a disabled relay holds no rule and no socket"};
  if (spec.redundancy) throw Refusal{"redundancy: the merge and failover of two legs run on the socket path"};
  if (spec.analyze == AnalyzeMode::rtp || spec.analyze == AnalyzeMode::ts) {
    throw Refusal{"analyze: the RTP and MPEG-TS analysis reads each datagram on the socket path"};
  }
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    if (spec.outputs[i].on_demand) {
      throw Refusal{"outputs[" + std::to_string(i) + "].onDemand: the querier's gate is on the socket path"};
    }
  }
}

std::string output_field(size_t index) {
  return "outputs[" + std::to_string(index) + "]";
}

std::string source_field(size_t index) {
  return "input.sources[" + std::to_string(index) + "]";
}

// bpf_fib_lookup answers "forwarding disabled" for an ingress with IPv4 forwarding off: every
// datagram would go to the stack. The relay says so instead of showing "ebpf" while sockets forward.
void require_route_lookup(const InterfaceFacts& ingress, const std::string& name) {
  if (ingress.rp_filter == MCR_EBPF_RP_FILTER_OFF || ingress.ipv4_forwarding) return;
  throw Refusal{"input.interface: rp_filter is on and IPv4 forwarding is off on '" + name +
                "'; the program's source check (a route lookup) needs net.ipv4.conf." + name +
                ".forwarding=1, the socket path applies rp_filter"};
}

void plan_ipv4(const RelaySpec& spec, in_addr group, const InterfaceFacts& ingress, KernelRulePlan& plan,
               const InterfaceFactsLookup& lookup) {
  mcr_rule_key key{};
  key.ifindex = plan.ingress_index;
  key.daddr = group.s_addr;
  key.dport = htons(static_cast<uint16_t>(spec.input.port));
  if (spec.input.sources.empty()) plan.keys.push_back(key);
  for (size_t i = 0; i < spec.input.sources.size(); ++i) {
    key.saddr = require_family(spec.input.sources[i], AF_INET, source_field(i)).v4.s_addr;
    plan.keys.push_back(key);
  }
  // The program runs before the IP input path: it checks the source as that path would.
  require_route_lookup(ingress, spec.input.interface);
  plan.rule.rp_filter = ingress.rp_filter;
  plan.rule.output_count = static_cast<uint32_t>(spec.outputs.size());
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    plan.rule.outputs[i] = plan_output4(spec.outputs[i], output_field(i), lookup);
  }
}

void plan_ipv6(const RelaySpec& spec, const in6_addr& group, KernelRulePlan& plan, const InterfaceFactsLookup& lookup) {
  mcr_rule6_key key{};
  key.ifindex = plan.ingress_index;
  std::memcpy(key.daddr, group.s6_addr, sizeof(key.daddr));
  key.dport = htons(static_cast<uint16_t>(spec.input.port));
  if (spec.input.sources.empty()) plan.keys6.push_back(key);
  for (size_t i = 0; i < spec.input.sources.size(); ++i) {
    const in6_addr source = require_family(spec.input.sources[i], AF_INET6, source_field(i)).v6;
    std::memcpy(key.saddr, source.s6_addr, sizeof(key.saddr));
    plan.keys6.push_back(key);
  }
  plan.rule6.output_count = static_cast<uint32_t>(spec.outputs.size());
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    plan.rule6.outputs[i] = plan_output6(spec.outputs[i], output_field(i), lookup);
  }
}

KernelRulePlan plan_or_throw(const RelaySpec& spec, const InterfaceFactsLookup& lookup) {
  require_kernel_semantics(spec);
  if (spec.outputs.size() > MCR_EBPF_MAX_OUTPUTS) {
    throw Refusal{"outputs: more than " + std::to_string(MCR_EBPF_MAX_OUTPUTS) +
                  " outputs; the socket path fans them out"};
  }
  const auto group = parse_ip_address(spec.input.group);
  if (!group) throw Refusal{"input.group: '" + spec.input.group + "' is not an IPv4 or IPv6 address"};
  KernelRulePlan plan;
  const InterfaceFacts ingress = require_interface(lookup, spec.input.interface, "input.interface");
  plan.ingress_index = ingress.index;
  if (group->family == AF_INET) {
    plan_ipv4(spec, group->v4, ingress, plan, lookup);
  } else {
    plan_ipv6(spec, group->v6, plan, lookup);
  }
  return plan;
}

}  // namespace

KernelRulePlan plan_kernel_rule(const RelaySpec& spec, const InterfaceFactsLookup& lookup) {
  try {
    return plan_or_throw(spec, lookup);
  } catch (const Refusal& refusal) {
    KernelRulePlan plan;
    plan.fallback_reason = refusal.reason;
    return plan;
  }
}

std::array<uint8_t, 6> multicast_mac(in_addr group) {
  const uint32_t host = ntohl(group.s_addr);
  return {0x01,
          0x00,
          0x5e,
          static_cast<uint8_t>((host >> 16) & 0x7f),
          static_cast<uint8_t>((host >> 8) & 0xff),
          static_cast<uint8_t>(host & 0xff)};
}

std::array<uint8_t, 6> multicast_mac(const in6_addr& group) {
  const uint8_t* bytes = group.s6_addr;
  return {0x33, 0x33, bytes[12], bytes[13], bytes[14], bytes[15]};
}

}  // namespace mcr
