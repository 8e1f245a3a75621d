// mcr-analysis-cost: what stream analysis costs per received datagram, without sockets: one
// StreamAnalyzer::observe() on RTP (12-byte header + 1316 bytes), on TS in RTP (RFC 2250, 7 x
// 188 bytes) and on raw TS (7 x 188 bytes), for analyze auto and off. Payloads stay in cache,
// as they do right after recvmmsg. Not shipped; built with the tools.
//
// usage: mcr-analysis-cost [DATAGRAMS]   (default 2000000)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/analysis/stream_analyzer.h"

namespace {

using mcr::AnalyzeMode;
using mcr::PayloadKind;
using mcr::StreamAnalyzer;

constexpr size_t kBuffers = 16;
constexpr size_t kRtpHeaderBytes = 12;
constexpr size_t kTsPacketsPerDatagram = 7;
constexpr size_t kTsBytes = kTsPacketsPerDatagram * 188;
constexpr int64_t kDatagramSpacingNs = 2'000;  // 500k datagrams/s

enum class Traffic { rtp, ts_in_rtp, raw_ts };

// Seven TS packets, one on each of PIDs 0x100-0x106, with continuity counter n for datagram n.
void write_ts(std::byte* bytes, uint64_t n) {
  for (size_t i = 0; i < kTsPacketsPerDatagram; ++i) {
    std::byte* packet = bytes + i * 188;
    packet[0] = std::byte{0x47};
    packet[1] = std::byte{0x01};
    packet[2] = static_cast<std::byte>(i);
    packet[3] = static_cast<std::byte>(0x10 | (n & 0x0F));
  }
}

void write_rtp(std::byte* bytes, uint64_t n) {
  bytes[0] = std::byte{0x80};
  bytes[1] = std::byte{33};
  bytes[2] = static_cast<std::byte>((n >> 8) & 0xff);
  bytes[3] = static_cast<std::byte>(n & 0xff);
  const uint64_t timestamp = n * 180;  // 2 ms at 90 kHz
  for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<std::byte>((timestamp >> (24 - 8 * i)) & 0xff);
  bytes[11] = std::byte{7};
}

size_t write_datagram(std::vector<std::byte>& datagram, Traffic traffic, uint64_t n) {
  if (traffic == Traffic::raw_ts) {
    write_ts(datagram.data(), n);
    return kTsBytes;
  }
  write_rtp(datagram.data(), n);
  if (traffic == Traffic::ts_in_rtp) write_ts(datagram.data() + kRtpHeaderBytes, n);
  return kRtpHeaderBytes + kTsBytes;
}

double nanoseconds_per_datagram(AnalyzeMode mode, Traffic traffic, uint64_t datagrams) {
  std::vector<std::vector<std::byte>> buffers(kBuffers,
                                              std::vector<std::byte>(kRtpHeaderBytes + kTsBytes, std::byte{0x11}));
  StreamAnalyzer analyzer(mode);
  uint64_t recognised = 0;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t n = 0; n < datagrams; ++n) {
    std::vector<std::byte>& datagram = buffers[n % kBuffers];
    const size_t length = write_datagram(datagram, traffic, n);
    const int64_t arrival_ns = static_cast<int64_t>(n) * kDatagramSpacingNs;
    recognised += analyzer.observe(datagram.data(), length, arrival_ns) != PayloadKind::other ? 1 : 0;
  }
  const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  if (analyzer.rtp().lost + analyzer.ts_continuity_errors() != 0)
    std::fprintf(stderr, "warning: errors on a clean stream\n");
  if (mode != AnalyzeMode::off && recognised != datagrams) std::fprintf(stderr, "warning: unrecognised datagrams\n");
  return elapsed.count() / static_cast<double>(datagrams);
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t datagrams = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  if (datagrams < 1) {
    std::fputs("usage: mcr-analysis-cost [DATAGRAMS>=1]\n", stderr);
    return 2;
  }
  const struct {
    Traffic traffic;
    const char* name;
  } traffics[] = {{Traffic::rtp, "rtp (1328 B)"},
                  {Traffic::ts_in_rtp, "ts in rtp (12+7x188 B)"},
                  {Traffic::raw_ts, "raw ts (7x188 B)"}};
  for (const auto& traffic : traffics) {
    for (const AnalyzeMode mode : {AnalyzeMode::auto_detect, AnalyzeMode::off}) {
      std::printf("%-24s analyze %-4s: %.1f ns per received datagram\n", traffic.name,
                  mode == AnalyzeMode::off ? "off" : "auto",
                  nanoseconds_per_datagram(mode, traffic.traffic, datagrams));
    }
  }
  return 0;
}
