// The streams one mcrsink has seen, keyed by the stream id in the MCR header, each with its own
// sequence accounting, latency histogram and silence tracking. Allocates only for a new stream.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "common/latency_histogram.h"
#include "common/rtp_check.h"
#include "common/sequence_tracker.h"
#include "core/analysis/stream_analyzer.h"

namespace mcr::tools {

struct StreamStats {
  StreamStats(uint32_t id, std::optional<uint64_t> start_seq) : stream_id(id), sequence(start_seq) {}

  // One datagram of this stream; arrival and send times in CLOCK_REALTIME ns.
  void record(uint64_t seq, std::size_t length, int64_t send_time_ns, int64_t arrival_ns) {
    sequence.record(seq);
    latency.record(arrival_ns - send_time_ns);
    bytes += length;
    if (received_any && arrival_ns - last_arrival_ns > longest_silence_ns) {
      longest_silence_ns = arrival_ns - last_arrival_ns;
    }
    received_any = true;
    last_arrival_ns = arrival_ns;
  }

  uint32_t stream_id;
  SequenceTracker sequence;
  RtpCheck rtp;  // with --rtp
  // With --rtp or --ts: the RTP and MPEG-TS analysis the engine applies to a relay's input
  // (src/core/analysis), over the whole datagram; created with the stream's first datagram.
  std::unique_ptr<StreamAnalyzer> analysis;
  LatencyHistogram latency;
  uint64_t bytes = 0;
  bool received_any = false;
  int64_t last_arrival_ns = 0;
  int64_t longest_silence_ns = 0;
};

class StreamTable {
 public:
  // A bound on memory: a flood of random stream ids cannot exhaust the machine.
  static constexpr std::size_t kMaxStreams = 1024;

  explicit StreamTable(std::optional<uint64_t> start_seq) : start_seq_(start_seq) {}

  // The stream's stats, created on first sight; nullptr once kMaxStreams are tracked.
  StreamStats* find_or_add(uint32_t stream_id);
  // In order of first arrival.
  const std::vector<std::unique_ptr<StreamStats>>& streams() const { return streams_; }

 private:
  std::optional<uint64_t> start_seq_;
  std::vector<std::unique_ptr<StreamStats>> streams_;
  std::unordered_map<uint32_t, StreamStats*> by_id_;
  StreamStats* last_ = nullptr;  // most datagrams belong to the stream of the previous one
};

}  // namespace mcr::tools
