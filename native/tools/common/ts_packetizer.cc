// The synthetic TS multiplex of mcrgen --ts: slot plan, template and per-datagram stamping.
#include "common/ts_packetizer.h"

#include <algorithm>
#include <cstring>

namespace mcr::tools {
namespace {

constexpr uint8_t kPayloadOnly = 0x10;          // adaptation_field_control 01
constexpr uint8_t kAdaptationOnly = 0x20;       // adaptation_field_control 10
constexpr uint8_t kPayloadUnitStart = 0x40;     // payload_unit_start_indicator
constexpr uint8_t kPcrFlag = 0x10;              // adaptation field flags: PCR present
constexpr uint8_t kAdaptationOnlyLength = 183;  // the rest of the packet: flags, PCR, stuffing
constexpr uint8_t kCounterMask = 0x0F;
constexpr std::byte kStuffing{0xFF};
constexpr uint64_t kPcrBaseModulus = 1ULL << 33;
constexpr uint64_t kPcrTicksPerBase = 300;  // 27 MHz PCR = 300 x 90 kHz base + extension

std::span<std::byte> slot_bytes(std::span<std::byte> datagram, unsigned slot) {
  return datagram.subspan(slot * kTsPacketBytes, kTsPacketBytes);
}

void write_header(std::span<std::byte> packet, uint16_t pid, uint8_t flags) {
  packet[0] = kTsSyncByte;
  packet[1] = static_cast<std::byte>(((flags & kPayloadUnitStart) != 0 ? kPayloadUnitStart : 0) | (pid >> 8));
  packet[2] = static_cast<std::byte>(pid & 0xFF);
  packet[3] = static_cast<std::byte>(flags & (kPayloadOnly | kAdaptationOnly));
}

void set_counter(std::span<std::byte> packet, uint8_t counter) {
  packet[3] = static_cast<std::byte>((static_cast<uint8_t>(packet[3]) & ~kCounterMask) | (counter & kCounterMask));
}

// The PCR (2.4.3.5): 33-bit base at 90 kHz, 6 reserved bits, 9-bit extension at 27 MHz.
void write_pcr(std::span<std::byte> packet, int64_t send_time_ns) {
  const auto ns = static_cast<uint64_t>(send_time_ns);
  const uint64_t ticks = ns / 1000 * 27 + ns % 1000 * 27 / 1000;  // 27 MHz without overflow
  const uint64_t base = ticks / kPcrTicksPerBase % kPcrBaseModulus;
  const uint64_t extension = ticks % kPcrTicksPerBase;
  packet[6] = static_cast<std::byte>(base >> 25);
  packet[7] = static_cast<std::byte>(base >> 17);
  packet[8] = static_cast<std::byte>(base >> 9);
  packet[9] = static_cast<std::byte>(base >> 1);
  packet[10] = static_cast<std::byte>(((base & 1) << 7) | 0x7E | (extension >> 8));
  packet[11] = static_cast<std::byte>(extension & 0xFF);
}

void write_null(std::span<std::byte> packet) {
  std::fill(packet.begin(), packet.end(), kStuffing);
  write_header(packet, kTsNullPid, kPayloadOnly);
}

}  // namespace

TsPacketizer::TsPacketizer(unsigned packets, TsInjection injection) : injection_(injection) {
  for (unsigned k = 0; k < std::max(packets, 1U); ++k) {
    Slot kind = k % 2 == 1 ? Slot::audio : Slot::video;
    if (packets >= 3 && k == packets - 1) kind = Slot::spare;
    if (packets >= 4 && k == packets - 2) kind = Slot::video_adaptation;
    if (kind == Slot::audio) last_audio_slot_ = static_cast<int>(k);
    const unsigned occurrence = kind == Slot::video   ? video_per_datagram_++
                                : kind == Slot::audio ? audio_per_datagram_++
                                                      : 0;
    slots_.push_back(SlotPlan{kind, occurrence});
  }
}

void TsPacketizer::prepare(std::span<std::byte> datagram) const {
  for (unsigned k = 0; k < slots_.size(); ++k) {
    std::span<std::byte> packet = slot_bytes(datagram, k);
    switch (slots_[k].kind) {
      case Slot::video:
        write_header(packet, kTsVideoPid, kPayloadOnly | (k == 0 ? kPayloadUnitStart : 0));
        break;
      case Slot::audio:
        write_header(packet, kTsAudioPid, kPayloadOnly);
        break;
      case Slot::video_adaptation:
        std::fill(packet.begin(), packet.end(), kStuffing);
        write_header(packet, kTsVideoPid, kAdaptationOnly);
        packet[4] = std::byte{kAdaptationOnlyLength};
        packet[5] = std::byte{kPcrFlag};
        break;
      case Slot::spare:
        write_null(packet);
        break;
    }
  }
}

void TsPacketizer::stamp(std::span<std::byte> datagram, uint64_t index, int64_t send_time_ns) const {
  for (unsigned k = 0; k < slots_.size(); ++k) {
    std::span<std::byte> packet = slot_bytes(datagram, k);
    const SlotPlan& plan = slots_[k];
    switch (plan.kind) {
      case Slot::video:
        set_counter(packet, counter(kTsVideoPid, plan.occurrence, index));
        break;
      case Slot::audio:
        set_counter(packet, counter(kTsAudioPid, plan.occurrence, index));
        break;
      case Slot::video_adaptation:
        // Without payload the counter keeps the value of the PID's previous packet (2.4.3.3).
        set_counter(packet, counter(kTsVideoPid, video_per_datagram_ - 1, index));
        write_pcr(packet, send_time_ns);
        break;
      case Slot::spare:
        break;  // after the others: a duplicate copies a finished audio packet
    }
  }
  if (slots_.back().kind == Slot::spare) stamp_spare(datagram, packets() - 1, index);
}

void TsPacketizer::stamp_spare(std::span<std::byte> datagram, unsigned slot, uint64_t index) const {
  std::span<std::byte> packet = slot_bytes(datagram, slot);
  if (duplicates_audio(index) && last_audio_slot_ >= 0) {
    const std::span<std::byte> audio = slot_bytes(datagram, static_cast<unsigned>(last_audio_slot_));
    std::memcpy(packet.data(), audio.data(), kTsPacketBytes);
  } else {
    write_null(packet);
  }
}

// Video counts on from the previous datagram, plus one extra step for every error datagram so
// far: each skip is one discontinuity, and the counters after it run on without further errors.
uint8_t TsPacketizer::counter(uint16_t pid, unsigned occurrence, uint64_t index) const noexcept {
  if (pid == kTsAudioPid) return static_cast<uint8_t>((index * audio_per_datagram_ + occurrence) & kCounterMask);
  return static_cast<uint8_t>((index * video_per_datagram_ + occurrence + skips_through(index)) & kCounterMask);
}

// Error datagrams are those with (index + 1) a multiple of the period: N-1, 2N-1, ...
uint64_t TsPacketizer::skips_through(uint64_t index) const noexcept {
  return injection_.continuity_error_every == 0 ? 0 : (index + 1) / injection_.continuity_error_every;
}

bool TsPacketizer::duplicates_audio(uint64_t index) const noexcept {
  return injection_.duplicate_every != 0 && (index + 1) % injection_.duplicate_every == 0;
}

// Datagram 0 opens every PID's count, so a skip there is no error to a receiver.
uint64_t TsPacketizer::continuity_errors_in(uint64_t count) const noexcept {
  if (count == 0) return 0;
  return skips_through(count - 1) - skips_through(0);
}

}  // namespace mcr::tools
