// Counter snapshots handed to callers. Live counters are in counters.h; these are plain copies.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace mcr {

struct OutputStats {
  uint64_t packets = 0;               // datagrams sent
  uint64_t bytes = 0;                 // payload bytes sent
  uint64_t send_errors = 0;           // datagrams that failed to send (sum of by_errno)
  std::vector<std::pair<int, uint64_t>> send_errors_by_errno;  // (errno, count), nonzero only;
                                                               // errno 0 = other values (table full)
  int64_t last_packet_unix_ns = 0;    // wall-clock time of the last send, 0 = never
  uint64_t gso_datagrams = 0;         // of `packets`: sent inside GSO (UDP_SEGMENT) super-datagrams
  uint64_t gso_fallbacks = 0;         // GSO sends the kernel refused; their datagrams went one by one
};

struct RelayStats {
  std::string id;
  std::string name;
  bool enabled = true;
  uint64_t packets_in = 0;            // datagrams received on the ingress (not truncated)
  uint64_t bytes_in = 0;              // payload bytes received
  uint64_t rxq_drops = 0;             // kernel receive-queue drops: max(SO_RXQ_OVFL, SO_MEMINFO drops)
  uint64_t truncated = 0;             // datagrams larger than the buffer: counted, never forwarded
  uint64_t ttl_expired = 0;           // dropped by an output with ttl "inherit" (arrived with ttl <= 1)
  uint64_t not_forwarded_standby = 0; // drained while standby / disabled
  uint64_t held_by_fence = 0;         // drained while the forwardUntil deadline had passed
  int64_t last_packet_unix_ns = 0;    // wall-clock time of the last received datagram, 0 = never
  int rcvbuf_bytes = 0;               // effective SO_RCVBUF of the ingress socket
  std::vector<std::string> interfaces_down;  // the relay's interfaces that are down or gone now
                                             // (sorted); non-empty = waiting for an interface
  std::vector<OutputStats> outputs;   // same order as the spec's outputs
};

}  // namespace mcr
