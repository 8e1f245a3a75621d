// What a relay is, as plain C++ data: one ingress, 1..N outputs, interfaces by name.
// The binding converts JavaScript objects into these; the core validates them (validate_spec).
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace mcr {

struct IngressSpec {
  std::string interface;              // interface name, e.g. "eth0"
  std::string group;                  // multicast group, or a local unicast address to listen on
  uint32_t port = 0;                  // 1..65535 (wider type so validation can name a bad value)
  std::vector<std::string> sources;   // SSM source list; empty = any source
};

// TTL sentinel: the output copies the ingress TTL minus one (IP_RECVTTL / IPV6_RECVHOPLIMIT).
inline constexpr int kTtlInherit = -1;

struct OutputSpec {
  std::string interface;
  std::string group;                  // destination multicast group or unicast host
  uint32_t port = 0;
  int ttl = 1;                        // 1..255, or kTtlInherit
  int dscp = 0;                       // 0..63
  std::string source;                 // optional source address to send from ("" = interface's)
};

struct RelaySpec {
  std::string id;                     // caller-chosen id; "" lets the engine generate one
  std::string name;
  bool enabled = true;
  IngressSpec input;
  std::vector<OutputSpec> outputs;
};

// A spec the engine refuses. `field` is a path in the public resource shape
// ("input.port", "outputs[1].group"), `value` the offending value as text.
class SpecError : public std::invalid_argument {
 public:
  SpecError(std::string field, std::string value, const std::string& reason);
  const std::string& field() const noexcept { return field_; }
  const std::string& value() const noexcept { return value_; }

 private:
  std::string field_;
  std::string value_;
};

// Checks everything that can be checked without touching the system (ports, address syntax,
// address families, ttl/dscp ranges, non-empty outputs, an output equal to the ingress).
// Interface existence is checked when sockets are opened. Throws SpecError.
void validate_spec(const RelaySpec& spec);

}  // namespace mcr
