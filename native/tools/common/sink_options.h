// mcrsink's command line: flags, defaults, validation (errors name the flag) and --help text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/address_flags.h"

namespace mcr::tools {

struct SinkOptions {
  SocketAddress group;                     // --group/--port: group to join, or local unicast address
  std::string interface;                   // --interface: join on this interface ("" = routing)
  std::vector<SocketAddress> sources;      // --source (repeatable): SSM sources
  std::optional<uint64_t> count;           // --count: stop after N datagrams
  std::optional<int64_t> duration_ns;      // --duration: stop after this long
  std::optional<int64_t> idle_timeout_ns;  // --idle-timeout: stop after this long without traffic
  std::optional<uint64_t> expect;          // --expect: datagrams sent per stream (tail loss)
  std::optional<uint64_t> start_seq = 0;   // --start-seq: first sequence sent; nullopt = "first"
  bool raw = false;                        // --raw: count packets and bytes only
  bool rtp = false;                        // --rtp: an RTP header precedes the MCR header
  bool ts = false;                         // --ts: the payload is MPEG-TS packets (mcrgen --ts)
  bool json = false;                       // --json: one JSON object on stdout
  std::string ready_file;                  // --ready-file: written once the socket is joined
  uint64_t rcvbuf_bytes = 32ULL << 20;     // --rcvbuf: socket receive buffer
  unsigned batch = 256;                    // --batch: most datagrams per recvmmsg()
  bool help = false;                       // --help
};

// argv excludes the program name. Throws UsageError naming the offending flag and value.
SinkOptions parse_sink_options(int argc, const char* const* argv);

extern const char* const kSinkUsage;

}  // namespace mcr::tools
