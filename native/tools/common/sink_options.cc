// mcrsink flag table, validation rules and help text (which documents the JSON report).
#include "common/sink_options.h"

#include <array>
#include <limits>

#include "common/args.h"
#include "common/errors.h"

namespace mcr::tools {
namespace {

constexpr std::array kSinkFlags = {
    FlagSpec{"group"},      FlagSpec{"port"},        FlagSpec{"interface"},    FlagSpec{"source", true, true},
    FlagSpec{"count"},      FlagSpec{"duration"},    FlagSpec{"idle-timeout"}, FlagSpec{"expect"},
    FlagSpec{"start-seq"},  FlagSpec{"ready-file"},  FlagSpec{"rcvbuf"},       FlagSpec{"batch"},
    FlagSpec{"raw", false}, FlagSpec{"json", false}, FlagSpec{"help", false},  FlagSpec{"rtp", false},
    FlagSpec{"ts", false},
};

constexpr uint64_t kU64Max = std::numeric_limits<uint64_t>::max();
constexpr uint64_t kMaxBatch = 1024;
constexpr uint64_t kMinRcvbufBytes = 4096;
constexpr uint64_t kMaxRcvbufBytes = 1ULL << 30;  // SO_RCVBUFFORCE takes an int (doubled)

void parse_group(const ParsedArgs& args, SinkOptions& options) {
  const auto group = args.value("group");
  if (!group) throw UsageError("--group is required (multicast group or local unicast address)");
  const auto port_text = args.value("port");
  if (!port_text) throw UsageError("--port is required");
  // Port 0 only makes sense for a unicast sink: the kernel picks a port, the ready file says it.
  options.group = parse_address_flag("group", *group, 0);
  const uint64_t min_port = is_multicast(options.group.ip()) ? 1 : 0;
  options.group.set_port(static_cast<uint16_t>(parse_unsigned_flag("port", *port_text, min_port, 65535)));
  options.interface = args.value("interface").value_or("");
  if (args.has("interface") && options.interface.empty()) {
    throw UsageError("--interface: expected an interface name, got ''");
  }
  for (const std::string& text : args.values("source")) {
    SocketAddress source = parse_address_flag("source", text, 0);
    if (source.family() != options.group.family()) {
      throw UsageError("--source: '" + text + "' is not the same IP version as --group '" + *group + "'");
    }
    if (!is_multicast(options.group.ip())) {
      throw UsageError("--source: '" + text + "' needs a multicast --group, got '" + *group + "'");
    }
    options.sources.push_back(source);
  }
}

void parse_stop_conditions(const ParsedArgs& args, SinkOptions& options) {
  if (auto count = args.value("count")) options.count = parse_unsigned_flag("count", *count, 1, kU64Max);
  if (auto duration = args.value("duration")) options.duration_ns = parse_seconds_flag("duration", *duration);
  if (auto idle = args.value("idle-timeout")) options.idle_timeout_ns = parse_millis_flag("idle-timeout", *idle);
}

void parse_accounting(const ParsedArgs& args, SinkOptions& options) {
  if (auto expect = args.value("expect")) options.expect = parse_unsigned_flag("expect", *expect, 1, kU64Max);
  if (auto start = args.value("start-seq")) {
    if (*start == "first") {
      options.start_seq = std::nullopt;
    } else {
      options.start_seq = parse_unsigned_flag("start-seq", *start, 0, kU64Max);
    }
  }
  options.raw = args.has("raw");
  options.rtp = args.has("rtp");
  options.ts = args.has("ts");
  if (options.raw && options.rtp) throw UsageError("--rtp: not with --raw");
  if (options.raw && options.ts) throw UsageError("--ts: not with --raw");
  options.json = args.has("json");
}

void parse_receive(const ParsedArgs& args, SinkOptions& options) {
  options.ready_file = args.value("ready-file").value_or("");
  if (args.has("ready-file") && options.ready_file.empty()) {
    throw UsageError("--ready-file: expected a path, got ''");
  }
  if (auto rcvbuf = args.value("rcvbuf")) {
    options.rcvbuf_bytes = parse_unsigned_flag("rcvbuf", *rcvbuf, kMinRcvbufBytes, kMaxRcvbufBytes);
  }
  if (auto batch = args.value("batch")) {
    options.batch = static_cast<unsigned>(parse_unsigned_flag("batch", *batch, 1, kMaxBatch));
  }
}

}  // namespace

SinkOptions parse_sink_options(int argc, const char* const* argv) {
  const auto args = ParsedArgs::parse({argv, static_cast<std::size_t>(argc)}, kSinkFlags);
  SinkOptions options;
  if (args.has("help")) {
    options.help = true;
    return options;
  }
  parse_group(args, options);
  parse_stop_conditions(args, options);
  parse_accounting(args, options);
  parse_receive(args, options);
  return options;
}

const char* const kSinkUsage =
    R"(mcrsink - receive MCR test traffic and report loss, duplicates, reordering and latency

usage: mcrsink --group ADDRESS --port PORT [options]

  --group ADDRESS     IPv4/IPv6 multicast group to join, or a local unicast address to bind
  --port PORT         UDP port (0 = any free port, unicast only; the ready file names it)
  --interface NAME    join the group on this interface (by index)
  --source ADDRESS    source-specific join (SSM); repeat for several sources
  --count N           stop after N datagrams
  --duration S        stop after S seconds (decimal allowed)
  --idle-timeout MS   stop after MS milliseconds without datagrams, once one has arrived
                      (also stops on SIGINT / SIGTERM; then prints the report)
  --expect N          datagrams each stream sent, so that a lost tail counts as lost
  --start-seq N|first first sequence number the sender used (default 0, as mcrgen);
                      "first" counts from the lowest number received (joined mid-stream)
  --raw               count datagrams and bytes only (for mcrgen --raw); with --expect,
                      lost = expect - received
  --rtp               datagrams carry an RTP header before the MCR header (mcrgen --rtp): the RTP
                      sequence and SSRC are checked against it; RTP loss, duplicates, reordering
                      and the RFC 3550 jitter are counted as the relay counts them
  --ts                the payload (after the RTP header with --rtp) is MPEG-TS (mcrgen --ts):
                      188-byte packets, the MCR header in the first one's payload; continuity
                      counters are checked per PID as the relay checks them (ISO/IEC 13818-1:
                      null packets, packets without payload, one repeat of a packet and a
                      flagged discontinuity are no error); the whole datagram is read
  --json              print the report as one JSON object on stdout
  --ready-file PATH   write {"pid":P,"port":N} to PATH (atomically) once the socket is joined
  --rcvbuf BYTES      socket receive buffer (default 33554432; SO_RCVBUFFORCE when root)
  --batch N           most datagrams per recvmmsg() call (default 256, max 1024)
  --help              this text

JSON report (--json); the top level is the total over all streams:
  received, bytes       datagrams and UDP payload bytes received (all datagrams)
  lost                  missing sequence numbers: from --start-seq (or the lowest seen) to the
                        highest seen, or to start + --expect - 1 if that is higher
  duplicates            datagrams whose sequence number had already arrived (exact)
  reordered             first arrivals of a sequence number lower than one already seen
  longest_gap           longest run of consecutive missing sequence numbers (largest stream)
  longest_silence_ms    longest time between two consecutive datagrams of one stream
  latency_us            {samples, p50, p99, max, negative}: one-way latency in microseconds,
                        receive time (kernel timestamp, CLOCK_REALTIME) minus the send time in
                        the header; percentiles within 1/64 of the value; negative = samples with
                        the sender's clock ahead (counted as 0)
  kernel_drops          datagrams the kernel dropped at this socket (SO_RXQ_OVFL): sink drops,
                        not relay drops
  non_mcr               datagrams without the MCR header (shorter than 24 bytes or bad magic;
                        with --rtp not RTP; with --ts not whole 188-byte TS packets)
  untracked             datagrams not accounted (more than 1024 streams, or the per-stream
                        sequence memory bound reached)
  elapsed_s             time from the first datagram to the last one
  stop_reason           count | duration | idle | signal
  raw                   true with --raw (then only received, bytes, lost are meaningful)
  rtp                   with --rtp: {packets, sequence_mismatches, jitter_us, lost, duplicates,
                        reordered}; jitter_us is the largest RFC 3550 interarrival jitter of a
                        stream (each stream has its own, from kernel receive timestamps); lost,
                        duplicates, reordered from the 16-bit RTP sequence alone, as the relay's
                        rtp.* counters (a late datagram is reordered and no longer lost)
  ts                    with --ts: {continuity_errors}, the sum over the streams
  streams               [{stream_id, received, bytes, first_seq, last_seq, lost, duplicates,
                          reordered, longest_gap, longest_silence_ms, latency_us[, rtp][, ts]}]
                        first_seq / last_seq: lowest and highest sequence number received

example:
  mcrsink --group 239.1.1.1 --port 5000 --interface veth1 --idle-timeout 1000 --json

exit status: 0 report printed, 1 system error, 2 usage error
)";

}  // namespace mcr::tools
