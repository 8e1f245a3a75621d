// mcrgen's command line: flags, defaults, validation (errors name the flag) and --help text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "common/address_flags.h"
#include "common/loss_plan.h"
#include "common/ts_packetizer.h"

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
  bool gso = false;                     // --gso: a burst leaves as UDP GSO super-datagrams
  bool json = false;                    // --json: summary as JSON on stdout
  bool help = false;                    // --help
  bool rtp = false;                     // --rtp: an RTP header (SSRC = stream id) before the payload
  bool ts = false;                      // --ts: the payload is MPEG-TS packets (ts_packetizer.h)
  TsInjection ts_injection;             // --ts-cc-errors, --ts-duplicates
  // The A/B legs: with --group-b every datagram also goes to a second destination; each leg has
  // its own delay and loss pattern (--delay-a, --loss-a, --burst-a, --outage-a and the -b ones).
  std::optional<SocketAddress> destination_b;  // --group-b/--port-b
  std::string interface_b;                     // --interface-b
  LegLoss loss_a;
  LegLoss loss_b;
  int64_t delay_a_ns = 0;  // --delay-a MS
  int64_t delay_b_ns = 0;  // --delay-b MS
  // --jitter-a US, --jitter-b US: every odd-numbered datagram of the leg goes this much later
  // than scheduled (less than the datagram interval, so nothing is reordered).
  int64_t jitter_a_ns = 0;
  int64_t jitter_b_ns = 0;
  uint64_t loss_seed = 1;  // --loss-seed

  // The bytes before the TS packets: the RTP header with --rtp.
  std::size_t rtp_bytes() const noexcept { return rtp ? 12 : 0; }
  // The bytes before the MCR header: the RTP header, and the first TS packet's header with --ts.
  std::size_t header_offset() const noexcept { return rtp_bytes() + (ts ? kTsHeaderBytes : 0); }
  // TS packets per datagram with --ts.
  unsigned ts_packets() const noexcept { return static_cast<unsigned>((size - rtp_bytes()) / kTsPacketBytes); }
};

// argv excludes the program name. Throws UsageError naming the offending flag and value.
GenOptions parse_gen_options(int argc, const char* const* argv);

extern const char* const kGenUsage;

}  // namespace mcr::tools
