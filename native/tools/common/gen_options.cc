// mcrgen flag table, validation rules and help text.
#include "common/gen_options.h"

#include <array>
#include <cstdlib>
#include <limits>
#include <string>

#include "common/args.h"
#include "common/errors.h"
#include "common/payload.h"

namespace mcr::tools {
namespace {

constexpr std::array kGenFlags = {
    FlagSpec{"group"},         FlagSpec{"port"},       FlagSpec{"interface"},   FlagSpec{"bind"},
    FlagSpec{"rate"},          FlagSpec{"count"},      FlagSpec{"duration"},    FlagSpec{"size"},
    FlagSpec{"ttl"},           FlagSpec{"tos"},        FlagSpec{"stream-id"},   FlagSpec{"start-seq"},
    FlagSpec{"batch"},         FlagSpec{"raw", false}, FlagSpec{"loop", false}, FlagSpec{"json", false},
    FlagSpec{"help", false},   FlagSpec{"rtp", false}, FlagSpec{"group-b"},     FlagSpec{"port-b"},
    FlagSpec{"interface-b"},   FlagSpec{"delay-a"},    FlagSpec{"delay-b"},     FlagSpec{"loss-a"},
    FlagSpec{"loss-b"},        FlagSpec{"burst-a"},    FlagSpec{"burst-b"},     FlagSpec{"outage-a"},
    FlagSpec{"outage-b"},      FlagSpec{"loss-seed"},  FlagSpec{"ts", false},   FlagSpec{"ts-cc-errors"},
    FlagSpec{"ts-duplicates"}, FlagSpec{"jitter-a"},   FlagSpec{"jitter-b"},    FlagSpec{"gso", false},
};

// Largest UDP payload. IPv4: 65535 total length - 20 (IP header) - 8 (UDP header). IPv6: the
// 65535 payload-length field excludes the IPv6 header, so only the UDP header comes off.
constexpr uint64_t kMaxPayloadIpv4Bytes = 65'507;
constexpr uint64_t kMaxPayloadIpv6Bytes = 65'527;
constexpr uint64_t kMaxRatePps = 100'000'000;
// The kernel rejects sendmmsg() vectors longer than UIO_MAXIOV (1024).
constexpr uint64_t kMaxBatch = 1024;
constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();

void parse_destination(const ParsedArgs& args, GenOptions& options) {
  const auto group = args.value("group");
  if (!group) throw UsageError("--group is required (multicast group or unicast address)");
  const auto port_text = args.value("port");
  if (!port_text) throw UsageError("--port is required");
  const auto port = static_cast<uint16_t>(parse_unsigned_flag("port", *port_text, 1, 65535));
  options.destination = parse_address_flag("group", *group, port);
  if (auto bind = args.value("bind")) {
    options.source = parse_address_flag("bind", *bind, 0);
    if (options.source->family() != options.destination.family()) {
      throw UsageError("--bind: '" + *bind + "' is not the same IP version as --group '" + *group + "'");
    }
  }
  options.interface = args.value("interface").value_or("");
  if (args.has("interface") && options.interface.empty()) {
    throw UsageError("--interface: expected an interface name, got ''");
  }
}

void parse_schedule(const ParsedArgs& args, GenOptions& options) {
  if (auto rate = args.value("rate")) options.rate_pps = parse_unsigned_flag("rate", *rate, 0, kMaxRatePps);
  if (auto count = args.value("count")) options.count = parse_unsigned_flag("count", *count, 1, kU64Max);
  if (auto duration = args.value("duration")) options.duration_ns = parse_seconds_flag("duration", *duration);
  if (auto batch = args.value("batch")) {
    options.batch = static_cast<unsigned>(parse_unsigned_flag("batch", *batch, 1, kMaxBatch));
  }
  options.gso = args.has("gso");
}

// --size with --ts: whole 188-byte packets after the RTP header; 7 of them by default.
void parse_ts_size(const ParsedArgs& args, GenOptions& options, uint64_t max_size) {
  const uint64_t default_size = options.rtp_bytes() + kTsPacketsPerDatagram * kTsPacketBytes;
  const uint64_t min_size = options.rtp_bytes() + kTsPacketBytes;
  options.size = default_size;
  const auto size = args.value("size");
  if (!size) return;
  const uint64_t value = parse_unsigned_flag("size", *size, 0, max_size);
  if (value < min_size || (value - options.rtp_bytes()) % kTsPacketBytes != 0) {
    throw UsageError("--size: with --ts expected " + std::to_string(options.rtp_bytes()) +
                     " + a multiple of 188 (whole TS packets" + (options.rtp ? ", after the RTP header" : "") +
                     "), got '" + *size + "'");
  }
  options.size = value;
}

void parse_ts_injection(const ParsedArgs& args, GenOptions& options) {
  for (const char* flag : {"ts-cc-errors", "ts-duplicates"}) {
    if (args.has(flag) && !options.ts) throw UsageError("--" + std::string(flag) + ": needs --ts");
  }
  if (auto every = args.value("ts-cc-errors")) {
    options.ts_injection.continuity_error_every = parse_unsigned_flag("ts-cc-errors", *every, 1, kU64Max);
  }
  if (auto every = args.value("ts-duplicates")) {
    options.ts_injection.duplicate_every = parse_unsigned_flag("ts-duplicates", *every, 1, kU64Max);
    if (options.ts_packets() < 3) {
      throw UsageError("--ts-duplicates: needs at least 3 TS packets per datagram (--size " +
                       std::to_string(options.rtp_bytes() + 3 * kTsPacketBytes) + " or more)");
    }
  }
}

void parse_payload(const ParsedArgs& args, GenOptions& options) {
  options.raw = args.has("raw");
  options.rtp = args.has("rtp");
  options.ts = args.has("ts");
  if (options.raw && options.rtp) throw UsageError("--rtp: not with --raw (the RTP header numbers MCR datagrams)");
  if (options.raw && options.ts) throw UsageError("--ts: not with --raw (the first TS packet carries the MCR header)");
  const uint64_t max_size = options.destination.family() == AF_INET6 ? kMaxPayloadIpv6Bytes : kMaxPayloadIpv4Bytes;
  if (options.ts) {
    parse_ts_size(args, options, max_size);
  } else {
    const uint64_t min_size = options.raw ? 0 : options.header_offset() + kPayloadHeaderBytes;
    if (!options.raw && options.size < min_size) options.size = min_size;
    if (auto size = args.value("size")) {
      if (!options.raw && parse_unsigned_flag("size", *size, 0, max_size) < min_size) {
        throw UsageError("--size: expected at least " + std::to_string(min_size) +
                         " (the MCR header, and the RTP header with --rtp) unless --raw, got '" + *size + "'");
      }
      options.size = parse_unsigned_flag("size", *size, min_size, max_size);
    }
  }
  parse_ts_injection(args, options);
  if (auto id = args.value("stream-id")) {
    options.stream_id =
        static_cast<uint32_t>(parse_unsigned_flag("stream-id", *id, 0, std::numeric_limits<uint32_t>::max()));
  }
  if (auto start = args.value("start-seq")) options.start_seq = parse_unsigned_flag("start-seq", *start, 0, kU64Max);
}

void parse_ip_options(const ParsedArgs& args, GenOptions& options) {
  if (auto ttl = args.value("ttl")) options.ttl = static_cast<unsigned>(parse_unsigned_flag("ttl", *ttl, 0, 255));
  if (auto tos = args.value("tos")) options.tos = static_cast<unsigned>(parse_unsigned_flag("tos", *tos, 0, 255));
  options.loop = args.has("loop");
  options.json = args.has("json");
}

// "2.5+1" = from 2.5 s after the start, for 1 s.
void parse_outage(std::string_view flag, const std::string& text, LegLoss& loss) {
  const auto plus = text.find('+');
  if (plus == std::string::npos) {
    throw UsageError("--" + std::string(flag) + ": expected START+LENGTH in seconds (e.g. 2+1), got '" + text + "'");
  }
  const std::string start = text.substr(0, plus);
  loss.outage_from_ns = start == "0" ? 0 : parse_seconds_flag(flag, start);
  loss.outage_ns = parse_seconds_flag(flag, text.substr(plus + 1));
}

double parse_fraction(std::string_view flag, const std::string& text) {
  char* end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (text.empty() || end != text.c_str() + text.size() || !(value >= 0 && value <= 1)) {
    throw UsageError("--" + std::string(flag) + ": expected a fraction 0..1 (e.g. 0.1), got '" + text + "'");
  }
  return value;
}

// The alternating delay must stay below the datagram interval: the order of the leg is kept.
int64_t parse_jitter(const std::string& flag, const std::string& text, uint64_t rate_pps) {
  if (rate_pps == 0) throw UsageError("--" + flag + ": needs a --rate (the delay alternates on the paced schedule)");
  const uint64_t interval_us = 1'000'000 / rate_pps;
  if (interval_us < 2) throw UsageError("--" + flag + ": --rate " + std::to_string(rate_pps) + " leaves no room");
  return static_cast<int64_t>(parse_unsigned_flag(flag, text, 1, interval_us - 1)) * 1'000;
}

void parse_leg(const ParsedArgs& args, const std::string& suffix, LegLoss& loss, int64_t& delay_ns, int64_t& jitter_ns,
               uint64_t rate_pps) {
  if (auto delay = args.value("delay-" + suffix)) {
    delay_ns = *delay == "0" ? 0 : parse_millis_flag("delay-" + suffix, *delay);
  }
  if (auto jitter = args.value("jitter-" + suffix)) jitter_ns = parse_jitter("jitter-" + suffix, *jitter, rate_pps);
  if (auto rate = args.value("loss-" + suffix)) loss.rate = parse_fraction("loss-" + suffix, *rate);
  if (auto burst = args.value("burst-" + suffix))
    loss.burst = parse_unsigned_flag("burst-" + suffix, *burst, 1, kU64Max);
  if (auto outage = args.value("outage-" + suffix)) parse_outage("outage-" + suffix, *outage, loss);
}

void parse_legs(const ParsedArgs& args, GenOptions& options) {
  if (auto group_b = args.value("group-b")) {
    const auto port_text = args.value("port-b").value_or(std::to_string(options.destination.port()));
    const auto port = static_cast<uint16_t>(parse_unsigned_flag("port-b", port_text, 1, 65535));
    options.destination_b = parse_address_flag("group-b", *group_b, port);
    options.interface_b = args.value("interface-b").value_or(options.interface);
  } else {
    for (const char* flag : {"port-b", "interface-b", "delay-b", "loss-b", "burst-b", "outage-b", "jitter-b"}) {
      if (args.has(flag)) throw UsageError("--" + std::string(flag) + ": needs --group-b (the B leg)");
    }
  }
  parse_leg(args, "a", options.loss_a, options.delay_a_ns, options.jitter_a_ns, options.rate_pps);
  parse_leg(args, "b", options.loss_b, options.delay_b_ns, options.jitter_b_ns, options.rate_pps);
  if (auto seed = args.value("loss-seed")) options.loss_seed = parse_unsigned_flag("loss-seed", *seed, 0, kU64Max);
  if ((options.delay_a_ns != 0 || options.delay_b_ns != 0) && options.rate_pps == 0) {
    throw UsageError("--delay-a/--delay-b: need a --rate (delays shift the paced schedule)");
  }
}

}  // namespace

GenOptions parse_gen_options(int argc, const char* const* argv) {
  const auto args = ParsedArgs::parse({argv, static_cast<std::size_t>(argc)}, kGenFlags);
  GenOptions options;
  if (args.has("help")) {
    options.help = true;
    return options;
  }
  parse_destination(args, options);
  parse_schedule(args, options);
  parse_payload(args, options);
  parse_ip_options(args, options);
  parse_legs(args, options);
  // A zero-byte datagram cannot be a GSO segment (the segment size is the datagram size).
  if (options.gso && options.size == 0) throw UsageError("--gso: not with --size 0 (a segment needs a payload)");
  return options;
}

const char* const kGenUsage =
    R"(mcrgen - send numbered, timestamped UDP test traffic to a multicast group or unicast host

usage: mcrgen --group ADDRESS --port PORT [options]

  --group ADDRESS     destination: IPv4/IPv6 multicast group or unicast address
                      (IPv6 link-local may carry a zone: ff02::1%eth0)
  --port PORT         destination UDP port (1-65535)
  --interface NAME    send on this interface (IP_MULTICAST_IF / IPV6_MULTICAST_IF by index;
                      IP_UNICAST_IF / IPV6_UNICAST_IF for unicast destinations)
  --bind ADDRESS      source address to send from
  --rate PPS          datagrams per second, paced on an absolute schedule (default 10000;
                      0 = as fast as possible)
  --count N           stop after N datagrams
  --duration S        send for S seconds (decimal allowed); with --rate this is exactly
                      rate x S datagrams (the run takes longer if the host cannot keep up);
                      with neither --count nor --duration, send until SIGINT/SIGTERM
  --size BYTES        UDP payload size (default 64; at least 24 unless --raw)
  --ttl N             TTL / hop limit (default 16)
  --tos N             IPv4 TOS byte / IPv6 traffic class (default 0; DSCP 46 = 184)
  --loop              deliver multicast to this host too (off by default)
  --stream-id N       stream id in the header (default: random per run)
  --start-seq N       sequence number of the first datagram (default 0)
  --raw               no MCR header: exactly --size bytes of filler (0 allowed)
  --batch N           most datagrams per sendmmsg() call (default 32, max 1024)
  --gso               send each burst as UDP GSO super-datagrams (UDP_SEGMENT, up to 64
                      datagrams each): the kernel builds the datagrams after one trip through
                      the socket layer, so the generator costs far less per datagram and a
                      burst reaches the next hop back to back. Every datagram still leaves as
                      its own packet when the interface segments in software (ethtool -K IF
                      tx-udp-segmentation off); --size plus the headers must fit the MTU
  --rtp               put an RTP header (RFC 3550: version 2, payload type 96, sequence = the
                      datagram's number mod 65536, 90 kHz timestamp, SSRC = stream id) before
                      the MCR header; --size includes it (at least 36)
  --ts                the payload is MPEG-TS (ISO/IEC 13818-1): whole 188-byte packets, 7 by
                      default (--size 1316, or 1328 with --rtp; else 188 x N, + 12 with --rtp).
                      A synthetic multiplex without PSI: video PID 0x100 (its first packet per
                      datagram carries the MCR header in its payload), audio PID 0x101, a video
                      packet with only an adaptation field (PCR) and a null packet (0x1FFF);
                      continuity counters per PID as the standard counts them. With --rtp the
                      RTP payload type is 33 (MP2T, RFC 2250)
  --ts-cc-errors N    with --ts: every Nth datagram (the Nth, 2Nth, ...) skips one video
                      continuity counter value: exactly one continuity error each at a receiver
                      (none for the very first datagram, which opens the count)
  --ts-duplicates N   with --ts: in every Nth datagram the null packet is replaced by a second
                      copy of the last audio packet, a legal duplicate (no continuity error)
  --json              print the summary as one JSON object on stdout instead of text on stderr:
                      {"sent","bytes","elapsed_s","pps","send_errors","errors":{ERRNO:count},
                       "stream_id","first_seq","last_seq","target_pps","legs":[{"sent","dropped"}]}
                      and with --ts "ts":{"packets_per_datagram","continuity_errors"}: the errors
                      a receiver counts in what was sent, when nothing is lost on the way

A/B legs (redundancy tests): every datagram is also sent to a second destination, each leg with
its own delay and loss. Both legs carry identical bytes (the send time in the header, and the
RTP timestamp, is the datagram's scheduled time), so a receiver can merge them by payload or by RTP sequence.
  --group-b ADDRESS   the B leg's destination (its --port-b defaults to --port)
  --port-b PORT       the B leg's UDP port
  --interface-b NAME  the B leg's interface (default: --interface)
  --delay-a MS, --delay-b MS
                      send the leg this much later than scheduled (skew between the legs)
  --jitter-a US, --jitter-b US
                      send every odd-numbered datagram of the leg US microseconds later than
                      scheduled (less than the interval 1/--rate: no reordering); the headers
                      carry the scheduled time, so a receiver's RFC 3550 jitter converges to US.
                      Also without --group-b (--jitter-a is then the only leg's)
  --loss-a P, --loss-b P
                      drop this fraction 0..1 of the leg's datagrams at random; one seeded draw
                      per datagram: A drops the lowest draws, B the highest, so the two legs'
                      random losses never overlap while P(A) + P(B) <= 1 (and bursts are equal)
  --burst-a N, --burst-b N
                      datagrams per random loss event (default 1)
  --outage-a S+L, --outage-b S+L
                      drop everything the leg is due to send from S to S+L seconds after start
  --loss-seed N       seed of the random draw (default 1)
  --help              this text

Every datagram starts with the 24-byte MCR header (little-endian): magic u32 0x3152434d "MCR1",
stream id u32, sequence u64, send time i64 ns CLOCK_REALTIME; the rest is filler. With --rtp it
follows the RTP header; with --ts it is the payload of the first TS packet.

example:
  mcrgen --group 239.1.1.1 --port 5000 --interface veth0 --rate 20000 --count 200000

exit status: 0 done, 1 system error, 2 usage error
)";

}  // namespace mcr::tools
