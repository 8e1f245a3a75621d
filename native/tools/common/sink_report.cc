// Builds and prints mcrsink's report: totals over all streams plus one entry per stream.
#include "common/sink_report.h"

#include <algorithm>
#include <cstdio>

#include "common/json_writer.h"
#include "net/clock.h"

namespace mcr::tools {
namespace {

constexpr double kNanosecondsPerMicrosecond = 1e3;

LatencySummary summarize_latency(const LatencyHistogram& histogram) {
  LatencySummary summary;
  summary.samples = histogram.count();
  summary.negative = histogram.negative_count();
  summary.p50_us = static_cast<double>(histogram.percentile_ns(50)) / kNanosecondsPerMicrosecond;
  summary.p99_us = static_cast<double>(histogram.percentile_ns(99)) / kNanosecondsPerMicrosecond;
  summary.max_us = static_cast<double>(histogram.max_ns()) / kNanosecondsPerMicrosecond;
  return summary;
}

StreamReport report_stream(const StreamStats& stream, std::optional<uint64_t> expect) {
  StreamReport report;
  report.stream_id = stream.stream_id;
  report.bytes = stream.bytes;
  report.sequence = stream.sequence.summarize(expect);
  report.longest_silence_ms =
      static_cast<double>(stream.longest_silence_ns) / static_cast<double>(kNanosecondsPerMillisecond);
  report.latency = summarize_latency(stream.latency);
  report.rtp.packets = stream.rtp.packets;
  report.rtp.sequence_mismatches = stream.rtp.mismatches;
  if (stream.analysis) {
    const RtpStats& rtp = stream.analysis->rtp();
    report.rtp.jitter_us = rtp.jitter_us;
    report.rtp.lost = rtp.lost;
    report.rtp.duplicates = rtp.duplicates;
    report.rtp.reordered = rtp.reordered;
    report.ts.continuity_errors = stream.analysis->ts_continuity_errors();
  }
  return report;
}

void add_stream_totals(SinkReport& report, const StreamReport& stream) {
  report.lost += stream.sequence.lost;
  report.duplicates += stream.sequence.duplicates;
  report.reordered += stream.sequence.reordered;
  report.untracked += stream.sequence.untracked;
  report.longest_gap = std::max(report.longest_gap, stream.sequence.longest_gap);
  report.longest_silence_ms = std::max(report.longest_silence_ms, stream.longest_silence_ms);
  report.rtp_totals.packets += stream.rtp.packets;
  report.rtp_totals.sequence_mismatches += stream.rtp.sequence_mismatches;
  report.rtp_totals.jitter_us = std::max(report.rtp_totals.jitter_us, stream.rtp.jitter_us);
  report.rtp_totals.lost += stream.rtp.lost;
  report.rtp_totals.duplicates += stream.rtp.duplicates;
  report.rtp_totals.reordered += stream.rtp.reordered;
  report.ts_totals.continuity_errors += stream.ts.continuity_errors;
}

void write_rtp(JsonWriter& json, const RtpSummary& rtp) {
  json.begin_object("rtp")
      .field("packets", rtp.packets)
      .field("sequence_mismatches", rtp.sequence_mismatches)
      .field("jitter_us", rtp.jitter_us)
      .field("lost", rtp.lost)
      .field("duplicates", rtp.duplicates)
      .field("reordered", rtp.reordered)
      .end_object();
}

void write_ts(JsonWriter& json, const TsSummary& ts) {
  json.begin_object("ts").field("continuity_errors", ts.continuity_errors).end_object();
}

void write_latency(JsonWriter& json, const LatencySummary& latency) {
  json.begin_object("latency_us")
      .field("samples", latency.samples)
      .field("p50", latency.p50_us)
      .field("p99", latency.p99_us)
      .field("max", latency.max_us)
      .field("negative", latency.negative)
      .end_object();
}

void write_stream(JsonWriter& json, const StreamReport& stream, const SinkReport& report) {
  json.begin_object()
      .field("stream_id", uint64_t{stream.stream_id})
      .field("received", stream.sequence.received)
      .field("bytes", stream.bytes)
      .field("first_seq", stream.sequence.lowest)
      .field("last_seq", stream.sequence.highest)
      .field("lost", stream.sequence.lost)
      .field("duplicates", stream.sequence.duplicates)
      .field("reordered", stream.sequence.reordered)
      .field("longest_gap", stream.sequence.longest_gap)
      .field("longest_silence_ms", stream.longest_silence_ms);
  write_latency(json, stream.latency);
  if (report.rtp) write_rtp(json, stream.rtp);
  if (report.ts) write_ts(json, stream.ts);
  json.end_object();
}

std::string format_latency_text(const LatencySummary& latency) {
  char line[160];
  std::snprintf(line, sizeof(line), "p50 %.1f us, p99 %.1f us, max %.1f us (%llu samples", latency.p50_us,
                latency.p99_us, latency.max_us, static_cast<unsigned long long>(latency.samples));
  std::string text = line;
  if (latency.negative > 0) {
    text += ", " + std::to_string(latency.negative) + " negative: sender clock ahead";
  }
  return text + ")";
}

}  // namespace

std::string_view stop_reason_name(StopReason reason) {
  switch (reason) {
    case StopReason::count:
      return "count";
    case StopReason::duration:
      return "duration";
    case StopReason::idle:
      return "idle";
    case StopReason::signal:
      return "signal";
  }
  return "signal";
}

SinkReport build_sink_report(const SinkCounter& counter, std::optional<uint64_t> expect, StopReason reason) {
  const SinkTotals& totals = counter.totals();
  SinkReport report;
  report.raw = counter.raw();
  report.rtp = counter.rtp();
  report.ts = counter.ts();
  report.stop_reason = reason;
  report.received = totals.received;
  report.bytes = totals.bytes;
  report.kernel_drops = totals.kernel_drops;
  report.non_mcr = totals.non_mcr;
  report.untracked = totals.untracked;
  report.elapsed_s = static_cast<double>(totals.last_arrival_ns - totals.first_arrival_ns) /
                     static_cast<double>(kNanosecondsPerSecond);
  LatencyHistogram all_latency;
  for (const auto& stream : counter.streams().streams()) {
    report.streams.push_back(report_stream(*stream, expect));
    add_stream_totals(report, report.streams.back());
    all_latency.merge(stream->latency);
  }
  report.latency = summarize_latency(all_latency);
  // Nothing identifiable arrived (or --raw): all we can say is how many of `expect` are missing.
  if (report.streams.empty() && expect) {
    const uint64_t counted = report.raw ? totals.received : 0;
    report.lost = *expect > counted ? *expect - counted : 0;
  }
  return report;
}

std::string format_sink_json(const SinkReport& report) {
  JsonWriter json;
  json.begin_object()
      .field("received", report.received)
      .field("bytes", report.bytes)
      .field("lost", report.lost)
      .field("duplicates", report.duplicates)
      .field("reordered", report.reordered)
      .field("longest_gap", report.longest_gap)
      .field("longest_silence_ms", report.longest_silence_ms);
  write_latency(json, report.latency);
  json.field("kernel_drops", report.kernel_drops)
      .field("non_mcr", report.non_mcr)
      .field("untracked", report.untracked)
      .field("elapsed_s", report.elapsed_s)
      .field("stop_reason", stop_reason_name(report.stop_reason))
      .field("raw", report.raw);
  if (report.rtp) write_rtp(json, report.rtp_totals);
  if (report.ts) write_ts(json, report.ts_totals);
  json.begin_array("streams");
  for (const StreamReport& stream : report.streams) write_stream(json, stream, report);
  json.end_array().end_object();
  return json.text() + "\n";
}

std::string format_sink_text(const SinkReport& report) {
  char line[256];
  std::string text;
  std::snprintf(line, sizeof(line), "mcrsink: %llu datagrams, %llu bytes in %.3f s (stopped: %s)\n",
                static_cast<unsigned long long>(report.received), static_cast<unsigned long long>(report.bytes),
                report.elapsed_s, std::string(stop_reason_name(report.stop_reason)).c_str());
  text += line;
  std::snprintf(line, sizeof(line),
                "  lost %llu, duplicates %llu, reordered %llu, longest gap %llu, "
                "longest silence %.3f ms\n",
                static_cast<unsigned long long>(report.lost), static_cast<unsigned long long>(report.duplicates),
                static_cast<unsigned long long>(report.reordered), static_cast<unsigned long long>(report.longest_gap),
                report.longest_silence_ms);
  text += line;
  text += "  latency " + format_latency_text(report.latency) + "\n";
  text += "  sink kernel drops " + std::to_string(report.kernel_drops) + ", non-MCR datagrams " +
          std::to_string(report.non_mcr) + ", untracked " + std::to_string(report.untracked) + "\n";
  for (const StreamReport& stream : report.streams) {
    std::snprintf(line, sizeof(line),
                  "  stream %u: %llu datagrams, seq %llu..%llu, lost %llu, duplicates %llu, "
                  "reordered %llu, longest gap %llu, longest silence %.3f ms\n",
                  stream.stream_id, static_cast<unsigned long long>(stream.sequence.received),
                  static_cast<unsigned long long>(stream.sequence.lowest),
                  static_cast<unsigned long long>(stream.sequence.highest),
                  static_cast<unsigned long long>(stream.sequence.lost),
                  static_cast<unsigned long long>(stream.sequence.duplicates),
                  static_cast<unsigned long long>(stream.sequence.reordered),
                  static_cast<unsigned long long>(stream.sequence.longest_gap), stream.longest_silence_ms);
    text += line;
    text += "    latency " + format_latency_text(stream.latency) + "\n";
    if (report.rtp) {
      std::snprintf(line, sizeof(line),
                    "    rtp: %llu packets, %llu sequence/SSRC mismatches, lost %llu, duplicates %llu, "
                    "reordered %llu, jitter %.1f us\n",
                    static_cast<unsigned long long>(stream.rtp.packets),
                    static_cast<unsigned long long>(stream.rtp.sequence_mismatches),
                    static_cast<unsigned long long>(stream.rtp.lost),
                    static_cast<unsigned long long>(stream.rtp.duplicates),
                    static_cast<unsigned long long>(stream.rtp.reordered), stream.rtp.jitter_us);
      text += line;
    }
    if (report.ts) {
      text += "    ts: continuity errors " + std::to_string(stream.ts.continuity_errors) + "\n";
    }
  }
  return text;
}

}  // namespace mcr::tools
