// mcrsink's end-of-run report: computed once from the counter, then printed as text or JSON
// (the JSON fields are documented in kSinkUsage).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/sequence_tracker.h"
#include "common/sink_counter.h"

namespace mcr::tools {

enum class StopReason { count, duration, idle, signal };
std::string_view stop_reason_name(StopReason reason);

struct LatencySummary {
  uint64_t samples = 0;
  uint64_t negative = 0;
  double p50_us = 0;
  double p99_us = 0;
  double max_us = 0;
};

struct RtpSummary {
  uint64_t packets = 0;
  uint64_t sequence_mismatches = 0;
  double jitter_us = 0;
  // From the RTP sequence numbers alone (the engine's RtpAnalyzer), as a relay counts them.
  uint64_t lost = 0;
  uint64_t duplicates = 0;
  uint64_t reordered = 0;
};

struct TsSummary {
  uint64_t continuity_errors = 0;
};

struct StreamReport {
  uint32_t stream_id = 0;
  uint64_t bytes = 0;
  SequenceSummary sequence;
  double longest_silence_ms = 0;
  LatencySummary latency;
  RtpSummary rtp;
  TsSummary ts;
};

struct SinkReport {
  bool raw = false;
  bool rtp = false;       // --rtp: the rtp summaries are meaningful
  RtpSummary rtp_totals;  // jitter_us: the largest of the streams'
  bool ts = false;        // --ts: the ts summaries are meaningful
  TsSummary ts_totals;
  StopReason stop_reason = StopReason::signal;
  uint64_t received = 0;
  uint64_t bytes = 0;
  uint64_t lost = 0;
  uint64_t duplicates = 0;
  uint64_t reordered = 0;
  uint64_t longest_gap = 0;
  double longest_silence_ms = 0;
  LatencySummary latency;
  uint64_t kernel_drops = 0;
  uint64_t non_mcr = 0;
  uint64_t untracked = 0;
  double elapsed_s = 0;
  std::vector<StreamReport> streams;
};

SinkReport build_sink_report(const SinkCounter& counter, std::optional<uint64_t> expect, StopReason reason);
std::string format_sink_json(const SinkReport& report);
std::string format_sink_text(const SinkReport& report);

}  // namespace mcr::tools
