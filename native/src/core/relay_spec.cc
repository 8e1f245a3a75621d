// validate_spec: every check on a relay spec that needs no system call, against the contract's
// limits, each error naming the field in the public resource shape and the offending value.
#include "core/relay_spec.h"

#include <string>

#include "net/address.h"

namespace mcr {

namespace {

namespace limits = contract::spec;

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

[[noreturn]] void refuse(const std::string& field, const std::string& value, const std::string& reason) {
  throw EngineError(ErrorCode::invalid_spec, field, value, reason);
}

bool in_range(int64_t value, const contract::IntegerRange& range) {
  return value >= range.min && value <= range.max;
}

// The kernel's dev_valid_name: 1..IFNAMSIZ-1 characters, not "." or "..", no '/', ':' or whitespace.
bool is_interface_name(const std::string& name) {
  if (name.empty() || name.size() > static_cast<size_t>(limits::interface_name_max_chars)) return false;
  if (name == "." || name == "..") return false;
  for (const unsigned char c : name) {
    if (c == '/' || c == ':' || c <= ' ' || c == 0x7f) return false;
  }
  return true;
}

void check_name(const std::string& name) {
  const bool blank = name.find_first_not_of(" \t\r\n") == std::string::npos;
  if (blank || name.size() > static_cast<size_t>(limits::name_max_chars)) {
    refuse_text(ErrorCode::invalid_spec, "name", name, limits::name_rule);
  }
}

void check_interface(const std::string& field, const std::string& name) {
  if (!is_interface_name(name)) refuse_text(ErrorCode::invalid_spec, field, name, limits::interface_name_rule);
}

void check_port(const std::string& field, uint32_t port) {
  if (!in_range(port, limits::port))
    refuse_value(ErrorCode::invalid_spec, field, std::to_string(port), limits::port.rule);
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
      refuse(field, text,
             "sources are only allowed with a multicast group, and " + quoted(input.group) + " is unicast");
    }
    if (is_multicast(source)) refuse(field, text, quoted(text) + " is a multicast address, not a sender");
    if (source.family != group.family) {
      refuse(field, text,
             quoted(text) + " is " + family_name(source.family) + " but the group " + quoted(input.group) + " is " +
                 family_name(group.family));
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
  if (ttl == kTtlInherit || in_range(ttl, limits::ttl)) return;
  refuse_value(ErrorCode::invalid_spec, field, std::to_string(ttl), limits::ttl.rule);
}

void check_dscp(const std::string& field, int dscp) {
  if (!in_range(dscp, limits::dscp))
    refuse_value(ErrorCode::invalid_spec, field, std::to_string(dscp), limits::dscp.rule);
}

void check_output_count(size_t count) {
  if (!in_range(static_cast<int64_t>(count), limits::outputs)) {
    refuse_value(ErrorCode::invalid_spec, "outputs", std::to_string(count) + " outputs", limits::outputs.rule);
  }
}

void check_source(const std::string& field, const std::string& text, const IpAddress& destination) {
  if (text.empty()) return;
  const IpAddress source = check_address(field, text);
  if (is_multicast(source)) refuse(field, text, quoted(text) + " is a multicast address, not a sender");
  if (source.family != destination.family) {
    refuse(field, text,
           quoted(text) + " is " + family_name(source.family) + " but the destination is " +
               family_name(destination.family));
  }
}

void check_output(size_t index, const OutputSpec& output, const IngressSpec& input, const IpAddress& input_group) {
  const std::string prefix = "outputs[" + std::to_string(index) + "]";
  check_interface(prefix + ".interface", output.interface);
  const IpAddress destination = check_address(prefix + ".group", output.group);
  check_port(prefix + ".port", output.port);
  check_ttl(prefix + ".ttl", output.ttl);
  check_dscp(prefix + ".dscp", output.dscp);
  check_source(prefix + ".source", output.source, destination);
  if (output.on_demand && !is_multicast(destination)) {
    refuse(prefix + ".onDemand", "true",
           "an on-demand output needs a multicast group, and " + quoted(output.group) + " is unicast");
  }
  // Sending to the ingress itself would feed every datagram back in, forever.
  if (output.interface == input.interface && destination == input_group && output.port == input.port) {
    refuse(prefix, output.interface + " " + output.group + ":" + std::to_string(output.port),
           "would loop: output equals the ingress");
  }
}

}  // namespace

void validate_spec(const RelaySpec& spec) {
  check_name(spec.name);
  const IpAddress input_group = check_input(spec.input);
  check_output_count(spec.outputs.size());
  for (size_t i = 0; i < spec.outputs.size(); ++i) {
    check_output(i, spec.outputs[i], spec.input, input_group);
  }
}

}  // namespace mcr
