// Planning a relay's eBPF rule: every check that decides between the kernel and the socket path.
#include "core/kernel_rule.h"

#include <arpa/inet.h>

#include <algorithm>

#include "net/address.h"

namespace mcr {

namespace {

constexpr int kDscpShift = 2;  // DSCP is the upper six bits of the TOS byte

struct Refusal {
  std::string reason;
};

in_addr require_ipv4(const std::string& text, const std::string& field) {
  const auto address = parse_ip_address(text);
  if (!address || address->family != AF_INET) {
    throw Refusal{field + ": IPv6 relays use the socket path (the eBPF datapath is IPv4 only)"};
  }
  return address->v4;
}

InterfaceFacts require_interface(const InterfaceFactsLookup& lookup, const std::string& name,
                                 const std::string& field) {
  const auto facts = lookup(name);
  if (!facts || facts->index == 0) throw Refusal{field + ": interface '" + name + "' does not exist"};
  if (!facts->up) throw Refusal{field + ": interface '" + name + "' is down"};
  if (!facts->ethernet) throw Refusal{field + ": interface '" + name + "' is not Ethernet"};
  return *facts;
}

mcr_rule_output plan_output(const OutputSpec& spec, size_t index, const InterfaceFactsLookup& lookup) {
  const std::string field = "outputs[" + std::to_string(index) + "]";
  const in_addr group = require_ipv4(spec.group, field + ".group");
  if (!IN_MULTICAST(ntohl(group.s_addr))) {
    throw Refusal{field + ".group: unicast destinations need the neighbour's MAC; the socket path sends them"};
  }
  const InterfaceFacts egress = require_interface(lookup, spec.interface, field + ".interface");
  std::optional<in_addr> source = egress.ipv4;
  if (!spec.source.empty()) source = require_ipv4(spec.source, field + ".source");
  if (!source) throw Refusal{field + ".interface: '" + spec.interface + "' has no IPv4 address to send from"};

  mcr_rule_output output{};
  output.ifindex = egress.index;
  output.saddr = source->s_addr;
  output.daddr = group.s_addr;
  output.dport = htons(static_cast<uint16_t>(spec.port));
  output.ttl = spec.ttl == kTtlInherit ? MCR_EBPF_TTL_INHERIT : static_cast<uint8_t>(spec.ttl);
  output.tos = static_cast<uint8_t>(spec.dscp << kDscpShift);
  const auto dmac = multicast_mac(group);
  std::copy(dmac.begin(), dmac.end(), output.dmac);
  std::copy(egress.mac.begin(), egress.mac.end(), output.smac);
  return output;
}

// What the program cannot do that the socket path does: a disabled relay holds nothing, a
// redundant relay's merge window and an on-demand output's gate live in the worker.
void require_kernel_semantics(const RelaySpec& spec) {
  if (!spec.enabled) throw Refusal{"enabled: a disabled relay holds no rule and no socket"};
  if (spec.redundancy) throw Refusal{"redundancy: the merge and failover of two legs run on the socket path"};
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    if (spec.outputs[i].on_demand) {
      throw Refusal{"outputs[" + std::to_string(i) + "].onDemand: the querier's gate is on the socket path"};
    }
  }
}

KernelRulePlan plan_or_throw(const RelaySpec& spec, const InterfaceFactsLookup& lookup) {
  require_kernel_semantics(spec);
  if (spec.outputs.size() > MCR_EBPF_MAX_OUTPUTS) {
    throw Refusal{"outputs: more than " + std::to_string(MCR_EBPF_MAX_OUTPUTS) +
                  " outputs; the socket path fans them out"};
  }
  KernelRulePlan plan;
  const in_addr group = require_ipv4(spec.input.group, "input.group");
  const InterfaceFacts ingress = require_interface(lookup, spec.input.interface, "input.interface");
  plan.ingress_index = ingress.index;
  mcr_rule_key key{};
  key.ifindex = ingress.index;
  key.daddr = group.s_addr;
  key.dport = htons(static_cast<uint16_t>(spec.input.port));
  if (spec.input.sources.empty()) plan.keys.push_back(key);
  for (size_t i = 0; i < spec.input.sources.size(); ++i) {
    key.saddr = require_ipv4(spec.input.sources[i], "input.sources[" + std::to_string(i) + "]").s_addr;
    plan.keys.push_back(key);
  }
  plan.rule.output_count = static_cast<uint32_t>(spec.outputs.size());
  for (size_t i = 0; i < spec.outputs.size(); ++i) plan.rule.outputs[i] = plan_output(spec.outputs[i], i, lookup);
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

}  // namespace mcr
