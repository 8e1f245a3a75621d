// mcrgen --ts: the MPEG-TS packets (ISO/IEC 13818-1) of a datagram. A synthetic multiplex without
// PSI tables: a video PID, an audio PID, an adaptation-only packet with a PCR and a null packet,
// with the continuity counter of every PID counted as the standard says. The packets of datagram
// i are a pure function of i (and the send time for the PCR), so the A and B legs of a redundant
// feed carry identical bytes. Continuity errors and legal duplicates can be injected at fixed
// datagrams, so that a receiver's counts are known exactly.
//
// Layout of a datagram of N packets (slot k):
//   k = 0          video PID, payload: the MCR header starts at its payload (byte 4)
//   k = N-1, N>=3  the spare slot: a null packet (PID 0x1FFF), or, on a duplicate datagram, a
//                  second copy of the datagram's last audio packet (the one legal repeat)
//   k = N-2, N>=4  video PID, adaptation field only (PCR): its counter does not advance
//   otherwise      odd k: audio PID, even k: video PID, payload
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/analysis/ts_analyzer.h"

namespace mcr::tools {

inline constexpr uint16_t kTsVideoPid = 0x100;
inline constexpr uint16_t kTsAudioPid = 0x101;
inline constexpr uint16_t kTsNullPid = 0x1FFF;
inline constexpr std::size_t kTsHeaderBytes = 4;      // where a packet's payload starts
inline constexpr unsigned kTsPacketsPerDatagram = 7;  // 1316 bytes: the usual TS-over-UDP/RTP unit
inline constexpr uint8_t kRtpPayloadTypeMp2t = 33;    // RFC 3551: MP2T, 90 kHz

struct TsInjection {
  uint64_t continuity_error_every = 0;  // 0 = never; else every Nth datagram skips a video counter
  uint64_t duplicate_every = 0;         // 0 = never; else every Nth datagram repeats an audio packet
};

class TsPacketizer {
 public:
  // packets: TS packets per datagram (at least 1).
  TsPacketizer(unsigned packets, TsInjection injection);

  // The bytes that do not change between datagrams: call once per buffer of packets() x 188.
  void prepare(std::span<std::byte> datagram) const;
  // Rewrites what datagram `index` (0-based from the first sent) changes: continuity counters,
  // the PCR and the spare slot. The MCR header in slot 0's payload is the caller's.
  void stamp(std::span<std::byte> datagram, uint64_t index, int64_t send_time_ns) const;

  unsigned packets() const noexcept { return static_cast<unsigned>(slots_.size()); }
  // Continuity errors a receiver counts in datagrams 0..count-1 when none is lost.
  uint64_t continuity_errors_in(uint64_t count) const noexcept;

 private:
  enum class Slot { video, audio, video_adaptation, spare };
  struct SlotPlan {
    Slot kind;
    unsigned occurrence;  // payload packets of the same PID before this slot in the datagram
  };

  uint8_t counter(uint16_t pid, unsigned occurrence, uint64_t index) const noexcept;
  uint64_t skips_through(uint64_t index) const noexcept;
  bool duplicates_audio(uint64_t index) const noexcept;
  void stamp_spare(std::span<std::byte> datagram, unsigned slot, uint64_t index) const;

  std::vector<SlotPlan> slots_;
  unsigned video_per_datagram_ = 0;  // payload packets of each PID per datagram
  unsigned audio_per_datagram_ = 0;
  int last_audio_slot_ = -1;
  TsInjection injection_;
};

}  // namespace mcr::tools
