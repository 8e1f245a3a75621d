// mcrgen's command line: flags, defaults, validation (errors name the flag) and --help text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/address_flags.h"

namespace mcr::tools {

struct GenOptions {
  SocketAddress destination;            // --group/--port: multicast group or unicast host
  std::string interface;                // --interface: outgoing interface name ("" = routing)
  std::optional<SocketAddress> source;  // --bind: local source address
  uint64_t rate_pps = 10'000;           // --rate: 0 = as fast as possible
  std::optional<uint64_t> count;        // --count: datagrams to send
  std::optional<int64_t> duration_ns;   // --duration: how long to send
  std::size_t size = 64;                // --size: payload bytes per datagram
  unsigned ttl = 16;                    // --ttl: TTL / hop limit
  unsigned tos = 0;                     // --tos: IPv4 TOS byte / IPv6 traffic class
  bool loop = false;                    // --loop: multicast loopback to this host
  std::optional<uint32_t> stream_id;    // --stream-id: random when absent
  uint64_t start_seq = 0;               // --start-seq: sequence of the first datagram
  bool raw = false;                     // --raw: no MCR header, filler only
  unsigned batch = 32;                  // --batch: most datagrams per sendmmsg()
  bool json = false;                    // --json: summary as JSON on stdout
  bool help = false;                    // --help
};

// argv excludes the program name. Throws UsageError naming the offending flag and value.
GenOptions parse_gen_options(int argc, const char* const* argv);

extern const char* const kGenUsage;

}  // namespace mcr::tools
