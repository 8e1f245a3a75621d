// Spec comparisons used by update_relay to decide between an output swap and a rebuild.
#include "core/spec_match.h"

#include <algorithm>

#include "net/address.h"

namespace mcr {

namespace {

bool same_address(const std::string& a, const std::string& b) {
  const auto parsed_a = parse_ip_address(a);
  const auto parsed_b = parse_ip_address(b);
  if (!parsed_a || !parsed_b) return a == b;
  return *parsed_a == *parsed_b;
}

bool same_sources(std::vector<std::string> a, std::vector<std::string> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  return a == b;
}

}  // namespace

bool ingresses_overlap(const IngressSpec& a, const IngressSpec& b) {
  return a.port == b.port && same_address(a.group, b.group);
}

bool same_ingress(const IngressSpec& a, const IngressSpec& b) {
  return a.interface == b.interface && ingresses_overlap(a, b) && same_sources(a.sources, b.sources);
}

bool same_ingresses(const RelaySpec& a, const RelaySpec& b) {
  if (!same_ingress(a.input, b.input) || a.redundancy.has_value() != b.redundancy.has_value()) return false;
  return !a.redundancy || same_ingress(a.redundancy->input, b.redundancy->input);
}

bool same_output(const OutputSpec& a, const OutputSpec& b) {
  return a.interface == b.interface && same_address(a.group, b.group) && a.port == b.port && a.ttl == b.ttl &&
         a.dscp == b.dscp && a.source == b.source && a.on_demand == b.on_demand;
}

}  // namespace mcr
