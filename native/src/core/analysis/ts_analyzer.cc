// Continuity-counter checks over the 188-byte packets of a datagram.
#include "core/analysis/ts_analyzer.h"

namespace mcr {

namespace {

constexpr uint16_t kNullPid = 0x1FFF;
constexpr uint8_t kPayloadFlag = 0x10;     // adaptation_field_control bit: payload present
constexpr uint8_t kAdaptationFlag = 0x20;  // adaptation_field_control bit: adaptation field present
constexpr uint8_t kDiscontinuityFlag = 0x80;

uint8_t byte_at(const std::byte* packet, size_t index) noexcept {
  return static_cast<uint8_t>(packet[index]);
}

// The discontinuity_indicator: the adaptation field is present, not empty, and flags it.
bool signals_discontinuity(const std::byte* packet) noexcept {
  return (byte_at(packet, 3) & kAdaptationFlag) != 0 && byte_at(packet, 4) > 0 &&
         (byte_at(packet, 5) & kDiscontinuityFlag) != 0;
}

}  // namespace

bool is_transport_stream(const std::byte* bytes, size_t length) noexcept {
  if (length == 0 || length % kTsPacketBytes != 0) return false;
  for (size_t offset = 0; offset < length; offset += kTsPacketBytes)
    if (bytes[offset] != kTsSyncByte) return false;
  return true;
}

void TsAnalyzer::observe(const std::byte* bytes, size_t length) noexcept {
  for (size_t offset = 0; offset + kTsPacketBytes <= length; offset += kTsPacketBytes) observe_packet(bytes + offset);
}

void TsAnalyzer::observe_packet(const std::byte* packet) noexcept {
  const auto pid = static_cast<uint16_t>(((byte_at(packet, 1) & 0x1F) << 8) | byte_at(packet, 2));
  const uint8_t control = byte_at(packet, 3);
  // Null packets carry no counter; packets without payload do not increment it (2.4.3.3).
  if (pid == kNullPid || (control & kPayloadFlag) == 0) return;
  const uint8_t counter = control & kCounterMask;
  uint8_t& state = pid_state_[pid];
  const uint8_t last = state & kCounterMask;
  if ((state & kSeen) == 0 || signals_discontinuity(packet)) {
    state = kSeen | counter;
  } else if (counter == ((last + 1) & kCounterMask)) {
    state = kSeen | counter;
  } else if (counter == last && (state & kRepeated) == 0) {
    state = kSeen | kRepeated | counter;  // one repeat of a packet is legal (2.4.3.3)
  } else {
    ++continuity_errors_;
    state = kSeen | counter;
  }
}

}  // namespace mcr
