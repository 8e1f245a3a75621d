// validate_spec: every check on a relay spec that needs no system call, against the contract's
// limits, each error naming the field in the public resource shape and the offending value.
#include "core/relay_spec.h"

#include <string>

#include "core/spec_match.h"
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

void check_sources(const IngressSpec& input, const IpAddress& group, const std::string& path) {
  for (size_t i = 0; i < input.sources.size(); ++i) {
    const std::string field = path + ".sources[" + std::to_string(i) + "]";
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

// `path` is "input" or "redundancy.input": both legs follow the same rules.
IpAddress check_input(const IngressSpec& input, const std::string& path) {
  check_interface(path + ".interface", input.interface);
  const IpAddress group = check_address(path + ".group", input.group);
  check_port(path + ".port", input.port);
  check_sources(input, group, path);
  return group;
}

void check_milliseconds(const std::string& field, int64_t value, const contract::IntegerRange& range) {
  if (!in_range(value, range)) refuse_value(ErrorCode::invalid_spec, field, std::to_string(value), range.rule);
}

void check_redundancy(const RedundancySpec& redundancy, const IngressSpec& input) {
  check_input(redundancy.input, "redundancy.input");
  check_milliseconds("redundancy.windowMs", redundancy.window_ms, limits::window_ms);
  check_milliseconds("redundancy.lossMs", redundancy.loss_ms, limits::loss_ms);
  check_milliseconds("redundancy.revertMs", redundancy.revert_ms, limits::revert_ms);
  if (same_ingress(redundancy.input, input)) {
    refuse_text(ErrorCode::invalid_spec, "redundancy.input",
                redundancy.input.interface + " " + redundancy.input.group + ":" + std::to_string(redundancy.input.port),
                limits::same_input_rule);
  }
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

bool is_ingress(const OutputSpec& output, const IpAddress& destination, const IngressSpec& input) {
  const auto group = parse_ip_address(input.group);
  return output.interface == input.interface && group && destination == *group && output.port == input.port;
}

void check_output(size_t index, const OutputSpec& output, const RelaySpec& spec) {
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
  // Sending to an ingress of the relay itself would feed every datagram back in, forever.
  if (is_ingress(output, destination, spec.input) ||
      (spec.redundancy && is_ingress(output, destination, spec.redundancy->input))) {
    refuse(prefix, output.interface + " " + output.group + ":" + std::to_string(output.port),
           "would loop: output equals the ingress");
  }
}

}  // namespace

void validate_spec(const RelaySpec& spec) {
  check_name(spec.name);
  check_input(spec.input, "input");
  if (spec.redundancy) check_redundancy(*spec.redundancy, spec.input);
  check_output_count(spec.outputs.size());
  for (size_t i = 0; i < spec.outputs.size(); ++i) check_output(i, spec.outputs[i], spec);
}

}  // namespace mcr
