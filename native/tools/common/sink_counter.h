// What mcrsink does with each received datagram, independent of sockets: totals, non-MCR
// datagrams, and per-stream accounting. Called once per datagram; never allocates except for a
// new stream or a new sequence chunk.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/stream_table.h"

namespace mcr::tools {

struct SinkTotals {
  uint64_t received = 0;      // every datagram
  uint64_t bytes = 0;         // UDP payload bytes of every datagram
  uint64_t non_mcr = 0;       // shorter than the header or bad magic (or, with --rtp, not RTP;
                              // with --ts, not 188-byte packets)
  uint64_t untracked = 0;     // MCR datagrams of streams beyond StreamTable::kMaxStreams
  uint64_t kernel_drops = 0;  // latest SO_RXQ_OVFL value (cumulative per socket)
  int64_t first_arrival_ns = 0;
  int64_t last_arrival_ns = 0;
};

class SinkCounter {
 public:
  // `rtp`: every datagram starts with an RTP header, the MCR header follows it (mcrgen --rtp).
  // `ts`: the payload (after the RTP header with `rtp`) is 188-byte TS packets, the first of
  // which carries the MCR header (mcrgen --ts).
  SinkCounter(bool raw, std::optional<uint64_t> start_seq, bool rtp = false, bool ts = false)
      : raw_(raw), rtp_(rtp), ts_(ts), streams_(start_seq) {}

  // head: the first bytes of the datagram (at least the header when it is that long; the whole
  // datagram with --ts); length: the datagram's full size; arrival_ns: CLOCK_REALTIME receive time.
  void on_datagram(std::span<const std::byte> head, std::size_t length, int64_t arrival_ns);
  void on_kernel_drops(uint64_t cumulative_drops) {
    if (cumulative_drops > totals_.kernel_drops) totals_.kernel_drops = cumulative_drops;
  }

  bool raw() const { return raw_; }
  bool rtp() const { return rtp_; }
  bool ts() const { return ts_; }
  const SinkTotals& totals() const { return totals_; }
  const StreamTable& streams() const { return streams_; }

 private:
  void analyze(StreamStats& stream, std::span<const std::byte> head, int64_t arrival_ns) const;
  std::size_t header_offset() const;

  bool raw_;
  bool rtp_;
  bool ts_;
  SinkTotals totals_;
  StreamTable streams_;
};

}  // namespace mcr::tools
