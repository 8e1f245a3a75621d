// Sequence accounting and the RFC 3550 jitter estimator for one RTP input leg.
#include "core/analysis/rtp_analyzer.h"

#include <cmath>

namespace mcr {

namespace {

constexpr uint64_t kSequenceCycle = 1u << 16;
constexpr double kNanosecondsPerSecond = 1e9;
constexpr double kMicrosecondsPerSecond = 1e6;
constexpr double kJitterGain = 1.0 / 16.0;  // RFC 3550 6.4.1: J += (|D| - J) / 16

}  // namespace

uint32_t rtp_clock_rate(uint8_t payload_type) noexcept {
  switch (payload_type) {
    case 0:
    case 3:
    case 4:
    case 5:
    case 7:
    case 8:
    case 9:
    case 12:
    case 13:
    case 15:
    case 18:
      return 8'000;
    case 6:
      return 16'000;
    case 10:
    case 11:
      return 44'100;
    case 16:
      return 11'025;
    case 17:
      return 22'050;
    default:
      return 90'000;  // video static types (14, 25, 26, 28, 31-34), dynamic and unassigned
  }
}

void RtpAnalyzer::observe(uint32_t ssrc, uint16_t sequence, uint32_t timestamp, uint8_t payload_type,
                          int64_t arrival_ns) noexcept {
  if (!started_ || ssrc != ssrc_) {
    restart(ssrc, sequence);
    update_jitter(timestamp, payload_type, arrival_ns);
    return;
  }
  // The extended sequence number nearest the highest one seen (a wrap at 65535 goes forward).
  const auto delta = static_cast<int16_t>(static_cast<uint16_t>(sequence - static_cast<uint16_t>(highest_)));
  if (delta > kMaxJump || delta < -kMaxJump) {
    restart(ssrc, sequence);
    update_jitter(timestamp, payload_type, arrival_ns);
    return;
  }
  const uint64_t extended = highest_ + static_cast<uint64_t>(static_cast<int64_t>(delta));
  if (delta > 0) {
    advance(extended);
  } else if (extended < first_ || highest_ - extended >= kWindow) {
    ++stats_.reordered;  // older than the start or the window: neither counted lost nor recoverable
  } else if (received(extended)) {
    ++stats_.duplicates;
    return;  // a copy says nothing new about the network's delay
  } else {
    accept_late(extended);
  }
  update_jitter(timestamp, payload_type, arrival_ns);
}

void RtpAnalyzer::restart(uint32_t ssrc, uint16_t sequence) noexcept {
  started_ = true;
  ssrc_ = ssrc;
  // Start one cycle up so that late datagrams from before the first one stay above zero.
  first_ = kSequenceCycle + sequence;
  highest_ = first_;
  received_.fill(0);
  mark_received(first_);
  has_transit_ = false;  // a new source's timestamps have no relation to the old one's
}

void RtpAnalyzer::advance(uint64_t extended) noexcept {
  const uint64_t gap = extended - highest_ - 1;
  stats_.lost += gap;
  // Forget the sequence numbers the window slides past.
  for (uint64_t n = highest_ + 1; n <= extended && n - highest_ <= kWindow; ++n)
    received_[(n % kWindow) / 64] &= ~(1ULL << (n % 64));
  highest_ = extended;
  mark_received(extended);
}

void RtpAnalyzer::accept_late(uint64_t extended) noexcept {
  ++stats_.reordered;
  if (stats_.lost > 0) --stats_.lost;  // it was counted lost when the gap opened
  mark_received(extended);
}

bool RtpAnalyzer::received(uint64_t extended) const noexcept {
  return (received_[(extended % kWindow) / 64] >> (extended % 64)) & 1U;
}

void RtpAnalyzer::mark_received(uint64_t extended) noexcept {
  received_[(extended % kWindow) / 64] |= 1ULL << (extended % 64);
}

// RFC 3550 A.8, in doubles: D = (Rj - Ri) - (Sj - Si) in RTP units, J += (|D| - J) / 16.
void RtpAnalyzer::update_jitter(uint32_t timestamp, uint8_t payload_type, int64_t arrival_ns) noexcept {
  const double clock_rate = rtp_clock_rate(payload_type);
  if (has_transit_) {
    const double arrival_units =
        static_cast<double>(arrival_ns - last_arrival_ns_) * clock_rate / kNanosecondsPerSecond;
    const double timestamp_units = static_cast<int32_t>(timestamp - last_timestamp_);
    const double difference = std::fabs(arrival_units - timestamp_units);
    jitter_units_ += (difference - jitter_units_) * kJitterGain;
    stats_.jitter_us = jitter_units_ * kMicrosecondsPerSecond / clock_rate;
  }
  has_transit_ = true;
  last_timestamp_ = timestamp;
  last_arrival_ns_ = arrival_ns;
}

}  // namespace mcr
