// Counter snapshots handed to callers. Live counters are in counters.h; these are plain copies.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "generated/contract.h"

namespace mcr {

// Every contract counter becomes a uint64_t of the same name; an errno-table counter also gets
// `<name>_by_errno`: (errno, count) pairs, nonzero only, errno 0 = other values (table full).
#define MCR_DECLARE_COUNT(member, name, Live) uint64_t member = 0;
#define MCR_DECLARE_COUNT_BY_ERRNO(member, name) std::vector<std::pair<int, uint64_t>> member##_by_errno;

struct OutputStats {
  MCR_OUTPUT_COUNTERS(MCR_DECLARE_COUNT)
  MCR_OUTPUT_ERRNO_TABLES(MCR_DECLARE_COUNT_BY_ERRNO)
  int64_t last_packet_unix_ns = 0;  // wall-clock time of the last send, 0 = never
};

struct LegStats {
  MCR_LEG_COUNTERS(MCR_DECLARE_COUNT)
  int64_t silent_for_ms = -1;  // since the leg's last datagram; -1 = never received
};

struct RelayStats {
  std::string id;
  std::string name;
  bool enabled = true;
  MCR_RELAY_COUNTERS(MCR_DECLARE_COUNT)
  MCR_RELAY_ERRNO_TABLES(MCR_DECLARE_COUNT_BY_ERRNO)
  int64_t last_packet_unix_ns = 0;           // wall-clock time of the last received datagram, 0 = never
  int rcvbuf_bytes = 0;                      // effective SO_RCVBUF of the ingress socket
  std::vector<std::string> interfaces_down;  // the relay's interfaces that are down or gone now
                                             // (sorted); non-empty = waiting for an interface
  std::vector<OutputStats> outputs;          // same order as the spec's outputs
  std::vector<LegStats> legs;                // redundant relay: input, then redundancy.input; else empty
  int active_leg = -1;                       // failover mode: the forwarded leg; -1 otherwise
  std::string datapath = "socket";           // who forwards it now: "socket" or "ebpf"
  std::string datapath_reason;               // why not eBPF when "socket" and eBPF was asked for
};

// What input liveness reads of a relay many times a second: its receive count and nothing that
// costs a syscall or an allocation per field (the full RelayStats asks the kernel for drops).
struct InputCount {
  std::string id;
  uint64_t packets_in = 0;
};

#undef MCR_DECLARE_COUNT
#undef MCR_DECLARE_COUNT_BY_ERRNO

}  // namespace mcr
