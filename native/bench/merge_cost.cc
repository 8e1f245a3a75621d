// mcr-merge-cost: what the merge of a redundant relay costs per received datagram, without
// sockets: the datagram key (RTP header, or a hash of the payload) and one merge-window lookup,
// for two legs that carry every datagram once each (half first copies, half duplicates), at
// 500,000 datagrams/s per leg and a 50 ms window. Not shipped; built with the tools.
//
// usage: mcr-merge-cost [DATAGRAMS [PAYLOAD_BYTES]]   (default 2000000 1328)
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/redundancy/datagram_key.h"
#include "core/redundancy/merge_window.h"

namespace {

using mcr::DatagramKeyer;
using mcr::MergeWindow;
using mcr::RedundancyKey;

constexpr int64_t kDatagramSpacingNs = 2'000;  // 500k datagrams/s per leg
constexpr int64_t kWindowNs = 50'000'000;
constexpr size_t kBuffers = 16;  // payloads stay in cache, as they do right after recvmmsg

// An RTP header (sequence n, SSRC 7) and a payload that differs per datagram.
void write_datagram(std::vector<std::byte>& datagram, uint64_t n) {
  datagram[0] = std::byte{0x80};
  datagram[2] = static_cast<std::byte>((n >> 8) & 0xff);
  datagram[3] = static_cast<std::byte>(n & 0xff);
  datagram[11] = std::byte{7};
  for (size_t i = 0; i < 8 && 12 + i < datagram.size(); ++i) datagram[12 + i] = static_cast<std::byte>(n >> (8 * i));
}

double nanoseconds_per_datagram(RedundancyKey kind, uint64_t datagrams, size_t size) {
  std::vector<std::vector<std::byte>> buffers(kBuffers, std::vector<std::byte>(size, std::byte{0x47}));
  DatagramKeyer keyer(kind);
  MergeWindow window(kWindowNs);
  uint64_t first_copies = 0;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t i = 0; i < datagrams; ++i) {
    const uint64_t n = i / 2;  // leg a, then leg b, of the same datagram
    std::vector<std::byte>& datagram = buffers[i % kBuffers];
    write_datagram(datagram, n);
    const int64_t now_ns = 1'000'000'000 + static_cast<int64_t>(n) * kDatagramSpacingNs;
    const auto admission = window.admit(keyer.key_of(datagram.data(), datagram.size()), i % 2, now_ns);
    first_copies += admission.verdict == MergeWindow::Verdict::first ? 1 : 0;
  }
  const std::chrono::duration<double, std::nano> elapsed = std::chrono::steady_clock::now() - start;
  if (first_copies != datagrams / 2)
    std::fprintf(stderr, "warning: %llu first copies\n", static_cast<unsigned long long>(first_copies));
  return elapsed.count() / static_cast<double>(datagrams);
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t datagrams = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  const size_t size = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1328;
  if (datagrams < 2 || size < 20) {
    std::fputs("usage: mcr-merge-cost [DATAGRAMS>=2 [PAYLOAD_BYTES>=20]]\n", stderr);
    return 2;
  }
  for (const RedundancyKey kind : {RedundancyKey::rtp, RedundancyKey::payload}) {
    std::printf("key %-7s %zu-byte payloads: %.1f ns per received datagram\n",
                kind == RedundancyKey::rtp ? "rtp" : "payload", size, nanoseconds_per_datagram(kind, datagrams, size));
  }
  return 0;
}
