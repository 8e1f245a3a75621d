// What a relay is, as plain C++ data: one ingress, 1..N outputs, interfaces by name.
// The binding converts JavaScript objects into these; the core validates them (validate_spec).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/analysis/stream_analyzer.h"
#include "core/engine_error.h"

namespace mcr {

struct IngressSpec {
  std::string interface;             // interface name, e.g. "eth0"
  std::string group;                 // multicast group, or a local unicast address to listen on
  uint32_t port = 0;                 // contract::spec::port (wider type so validation can name a bad value)
  std::vector<std::string> sources;  // SSM source list; empty = any source

  bool operator==(const IngressSpec&) const = default;
};

// TTL sentinel: the output copies the ingress TTL minus one (IP_RECVTTL / IPV6_RECVHOPLIMIT).
inline constexpr int kTtlInherit = -1;

struct OutputSpec {
  std::string interface;
  std::string group;  // destination multicast group or unicast host
  uint32_t port = 0;
  int ttl = contract::spec::ttl_default;    // contract::spec::ttl, or kTtlInherit
  int dscp = contract::spec::dscp_default;  // contract::spec::dscp
  std::string source;                       // optional source address to send from ("" = interface's)
  // Send only while a member of `group` is reported on `interface` (the querier's membership
  // table); a multicast group only.
  bool on_demand = false;
};

enum class RedundancyMode { merge, failover };
// rtp: SSRC + extended sequence number (RFC 3550); payload: a 64-bit hash of the UDP payload.
enum class RedundancyKey { rtp, payload };

// A second (B) ingress of the same feed and how the two legs combine (docs/redundancy.md).
struct RedundancySpec {
  IngressSpec input;
  RedundancyMode mode = RedundancyMode::merge;
  RedundancyKey key = RedundancyKey::rtp;
  int64_t window_ms = contract::spec::window_ms_default;  // contract::spec::window_ms
  int64_t loss_ms = contract::spec::loss_ms_default;      // contract::spec::loss_ms
  int64_t revert_ms = 0;                                  // contract::spec::revert_ms; 0 = never

  bool operator==(const RedundancySpec&) const = default;
};

struct RelaySpec {
  std::string id;  // caller-chosen id; "" lets the engine generate one
  std::string name;
  bool enabled = true;
  IngressSpec input;
  std::vector<OutputSpec> outputs;
  std::optional<RedundancySpec> redundancy;  // absent: a plain relay with one ingress
  // What the input is analysed as (docs/stream-analysis.md); changed in place, no socket rebuilt.
  AnalyzeMode analyze = AnalyzeMode::auto_detect;
};

// Checks everything that can be checked without touching the system (the contract's limits on
// name, interface names, ports, ttl, dscp and the number of outputs; address syntax and families;
// an output equal to the ingress). Interface existence is checked when sockets are opened.
// Throws EngineError with ErrorCode::invalid_spec; `field` is a path in the public resource shape
// ("input.port", "outputs[1].group"), `value` the offending value as text.
void validate_spec(const RelaySpec& spec);

}  // namespace mcr
