// Formats mcrgen's summary: datagrams sent, elapsed time, achieved rate, send errors by errno.
#include "common/gen_report.h"

#include <cstdio>
#include <cstring>

#include "common/json_writer.h"
#include "common/ts_packetizer.h"
#include "net/clock.h"
#include "net/system_error.h"

namespace mcr::tools {
namespace {

double elapsed_seconds(const SendResult& result) {
  return static_cast<double>(result.elapsed_ns) / static_cast<double>(kNanosecondsPerSecond);
}

double achieved_pps(const SendResult& result) {
  const double seconds = elapsed_seconds(result);
  return seconds > 0 ? static_cast<double>(result.sent) / seconds : 0.0;
}

// "EPERM" style names are what operators grep for; strerror text goes to the human summary.
std::string errno_name(int error_number) {
  const char* name = strerrorname_np(error_number);
  return name != nullptr ? name : "errno " + std::to_string(error_number);
}

uint64_t last_seq(const SendResult& result) {
  return result.next_seq > result.first_seq ? result.next_seq - 1 : result.first_seq;
}

}  // namespace

std::string format_gen_json(const SendResult& result, const GenOptions& options, uint32_t stream_id) {
  JsonWriter json;
  json.begin_object()
      .field("sent", result.sent)
      .field("bytes", result.bytes)
      .field("elapsed_s", elapsed_seconds(result))
      .field("pps", achieved_pps(result))
      .field("target_pps", options.rate_pps)
      .field("send_errors", result.send_errors)
      .begin_object("errors");
  for (const auto& [error_number, count] : result.errors_by_errno) json.field(errno_name(error_number), count);
  json.end_object()
      .field("stream_id", uint64_t{stream_id})
      .field("first_seq", result.first_seq)
      .field("last_seq", last_seq(result))
      .field("raw", options.raw)
      .begin_array("legs");
  for (const LegResult& leg : result.legs) {
    json.begin_object().field("sent", leg.sent).field("dropped", leg.dropped).end_object();
  }
  json.end_array();
  if (options.ts) {
    const TsPacketizer packetizer(options.ts_packets(), options.ts_injection);
    json.begin_object("ts")
        .field("packets_per_datagram", uint64_t{packetizer.packets()})
        .field("continuity_errors", packetizer.continuity_errors_in(result.next_seq - result.first_seq))
        .end_object();
  }
  json.end_object();
  return json.text() + "\n";
}

std::string format_gen_text(const SendResult& result, const GenOptions& options, uint32_t stream_id) {
  char line[256];
  std::snprintf(line, sizeof(line),
                "mcrgen: sent %llu datagrams (%llu bytes) in %.3f s = %.0f pps (target %s), "
                "send errors %llu\n",
                static_cast<unsigned long long>(result.sent), static_cast<unsigned long long>(result.bytes),
                elapsed_seconds(result), achieved_pps(result),
                options.rate_pps == 0 ? "unlimited" : std::to_string(options.rate_pps).c_str(),
                static_cast<unsigned long long>(result.send_errors));
  std::string text = line;
  if (!options.raw) {
    std::snprintf(line, sizeof(line), "  stream %u, seq %llu..%llu\n", stream_id,
                  static_cast<unsigned long long>(result.first_seq), static_cast<unsigned long long>(last_seq(result)));
    text += line;
  }
  if (result.legs.size() > 1) {
    for (size_t i = 0; i < result.legs.size(); ++i) {
      std::snprintf(line, sizeof(line), "  leg %c: sent %llu, dropped by its loss pattern %llu\n", i == 0 ? 'A' : 'B',
                    static_cast<unsigned long long>(result.legs[i].sent),
                    static_cast<unsigned long long>(result.legs[i].dropped));
      text += line;
    }
  }
  for (const auto& [error_number, count] : result.errors_by_errno) {
    text += "  " + std::to_string(count) + " x " + errno_name(error_number) + " (" + errno_text(error_number) + ")\n";
  }
  return text;
}

}  // namespace mcr::tools
