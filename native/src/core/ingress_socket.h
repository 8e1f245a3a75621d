// The ingress side of a relay: one UDP socket bound to the group (or local unicast address) and
// joined on exactly one interface, so the same group:port on two interfaces stays two relays.
#pragma once

#include <cstdint>
#include <string>

#include "core/relay_spec.h"
#include "net/fd.h"

namespace mcr {

struct IngressSocket {
  Fd fd;
  int family = 0;  // AF_INET or AF_INET6
  unsigned interface_index = 0;
  int rcvbuf_bytes = 0;                // what the kernel granted
  bool receives_ttl = false;           // IP_RECVTTL / IPV6_RECVHOPLIMIT is on
  bool receives_arrival_time = false;  // SO_TIMESTAMPNS is on
};

// Opens, binds and joins; runs on the caller's thread so every error names its spec field, under
// `path` ("input", or "redundancy.input" for the B leg). `receive_ttl` asks for the per-datagram
// TTL (needed by outputs with ttl "inherit").
IngressSocket open_ingress(const IngressSpec& spec, int socket_buffer_bytes, bool receive_ttl,
                           const std::string& path = "input");

// Turns on the per-datagram TTL for an ingress that did not need it before (an update added an
// output with ttl "inherit"). Never turned off again: the cost is one cmsg per datagram.
void enable_receive_ttl(IngressSocket& ingress);

// Datagrams the kernel dropped because the receive queue was full (SO_MEMINFO SK_MEMINFO_DROPS).
// Turns the kernel's receive timestamp per datagram (SO_TIMESTAMPNS, CLOCK_REALTIME) on or off:
// on only while the relay's analysis measures RTP jitter, which needs each datagram's arrival
// rather than the time its batch was read (docs/stream-analysis.md). Best effort: without it the
// batch time stands in.
void set_arrival_timestamps(IngressSocket& ingress, bool on) noexcept;

uint64_t read_kernel_drops(const IngressSocket& ingress);

}  // namespace mcr
