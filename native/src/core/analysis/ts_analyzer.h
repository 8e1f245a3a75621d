// MPEG-TS continuity for one input leg (ISO/IEC 13818-1 2.4.3.3, TR 101 290 1.4
// Continuity_count_error): per PID, the 4-bit continuity counter of packets with payload must go
// up by one. Pure, no I/O; one instance per leg, owned by the worker (no locks).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace mcr {

inline constexpr size_t kTsPacketBytes = 188;
inline constexpr std::byte kTsSyncByte{0x47};

// True when the bytes are whole 188-byte TS packets, each starting with the sync byte 0x47.
bool is_transport_stream(const std::byte* bytes, size_t length) noexcept;

class TsAnalyzer {
 public:
  static constexpr size_t kPids = 8192;  // 13-bit PID

  // Checks every 188-byte packet of a datagram that is_transport_stream() accepted.
  void observe(const std::byte* bytes, size_t length) noexcept;

  uint64_t continuity_errors() const noexcept { return continuity_errors_; }

 private:
  void observe_packet(const std::byte* packet) noexcept;

  // Per PID, one byte: kSeen | kRepeated | the last continuity counter. A fixed table rather
  // than a hash of the PIDs seen: one indexed load per packet, no eviction rule, and 8 KiB per
  // leg, allocated only once the leg carries TS.
  static constexpr uint8_t kSeen = 0x80;
  static constexpr uint8_t kRepeated = 0x40;  // the last packet was the one legal duplicate
  static constexpr uint8_t kCounterMask = 0x0F;
  std::array<uint8_t, kPids> pid_state_{};
  uint64_t continuity_errors_ = 0;
};

}  // namespace mcr
