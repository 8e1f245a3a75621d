// validate_spec: every check on a relay spec that needs no system call, each error naming the
// field in the public resource shape and the offending value.
#include "core/relay_spec.h"

#include <string>

#include "net/address.h"

namespace mcr {

namespace {

constexpr uint32_t kMaxPort = 65535;
constexpr int kMaxTtl = 255;
constexpr int kMaxDscp = 63;

std::string quoted(const std::string& text) { return "'" + text + "'"; }

[[noreturn]] void refuse(const std::string& field, const std::string& value, const std::string& reason) {
  throw SpecError(field, value, reason);
}

void check_interface(const std::string& field, const std::string& name) {
  if (name.empty()) refuse(field, name, "an interface name is required");
}

void check_port(const std::string& field, uint32_t port) {
  if (port < 1 || port > kMaxPort) {
    refuse(field, std::to_string(port), std::to_string(port) + " is not a port (1..65535)");
  }
}

IpAddress check_address(const std::string& field, const std::string& text) {
  const auto address = parse_ip_address(text);
  if (!address) refuse(field, text, quoted(text) + " is not an IPv4 or IPv6 address");
  return *address;
}

void check_sources(const IngressSpec& input, const IpAddress& group) {
  for (size_t i = 0; i < input.sources.size(); ++i) {
    const std::string field = "input.sources[" + std::to_string(i) + "]";
    const std::string& text = input.sources[i];
    const IpAddress source = check_address(field, text);
    if (!is_multicast(group)) {
      refuse(field, text, "sources are only allowed with a multicast group, and " +
                              quoted(input.group) + " is unicast");
    }
    if (is_multicast(source)) refuse(field, text, quoted(text) + " is a multicast address, not a sender");
    if (source.family != group.family) {
      refuse(field, text, quoted(text) + " is " + family_name(source.family) + " but the group " +
                              quoted(input.group) + " is " + family_name(group.family));
    }
  }
}

IpAddress check_input(const IngressSpec& input) {
  check_interface("input.interface", input.interface);
  const IpAddress group = check_address("input.group", input.group);
  check_port("input.port", input.port);
  check_sources(input, group);
  return group;
}

void check_ttl(const std::string& field, int ttl) {
  if (ttl == kTtlInherit) return;
  if (ttl < 1 || ttl > kMaxTtl) {
    refuse(field, std::to_string(ttl), std::to_string(ttl) + " is not a ttl (1..255 or inherit)");
  }
}

void check_dscp(const std::string& field, int dscp) {
  if (dscp < 0 || dscp > kMaxDscp) {
    refuse(field, std::to_string(dscp), std::to_string(dscp) + " is not a DSCP value (0..63)");
  }
}

void check_source(const std::string& field, const std::string& text, const IpAddress& destination) {
  if (text.empty()) return;
  const IpAddress source = check_address(field, text);
  if (is_multicast(source)) refuse(field, text, quoted(text) + " is a multicast address, not a sender");
  if (source.family != destination.family) {
    refuse(field, text, quoted(text) + " is " + family_name(source.family) +
                            " but the destination is " + family_name(destination.family));
  }
}

void check_output(size_t index, const OutputSpec& output, const IngressSpec& input,
                  const IpAddress& input_group) {
  const std::string prefix = "outputs[" + std::to_string(index) + "]";
  check_interface(prefix + ".interface", output.interface);
  const IpAddress destination = check_address(prefix + ".group", output.group);
  check_port(prefix + ".port", output.port);
  check_ttl(prefix + ".ttl", output.ttl);
  check_dscp(prefix + ".dscp", output.dscp);
  check_source(prefix + ".source", output.source, destination);
  // Sending to the ingress itself would feed every datagram back in, forever.
  if (output.interface == input.interface && destination == input_group && output.port == input.port) {
    refuse(prefix, output.interface + " " + output.group + ":" + std::to_string(output.port),
           "would loop: output equals the ingress");
  }
}

}  // namespace

SpecError::SpecError(std::string field, std::string value, const std::string& reason)
    : std::invalid_argument(field + ": " + reason), field_(std::move(field)), value_(std::move(value)) {}

void validate_spec(const RelaySpec& spec) {
  if (spec.name.empty()) refuse("name", spec.name, "a relay name is required");
  const IpAddress input_group = check_input(spec.input);
  if (spec.outputs.empty()) refuse("outputs", "[]", "a relay needs at least one output");
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    check_output(i, spec.outputs[i], spec.input, input_group);
  }
}

}  // namespace mcr
