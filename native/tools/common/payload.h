// The MCR test payload that mcrgen writes and mcrsink checks: a fixed header that identifies the
// stream, numbers every datagram and carries its send time, followed by filler.
//
// Wire format, every field little-endian, 24 bytes, then filler up to the datagram size:
//
//   offset  size  field
//        0     4  magic        u32 0x3152434d ("MCR1": the bytes 'M' 'C' 'R' '1' on the wire)
//        4     4  stream id    u32, random per mcrgen run unless --stream-id
//        8     8  sequence     u64, 0 (or --start-seq) for the first datagram, +1 per datagram
//       16     8  send time    i64 nanoseconds since the Unix epoch (CLOCK_REALTIME), taken just
//                              before the sendmmsg() burst that carries the datagram
//       24     -  filler       byte at offset i is (i & 0xff)
//
// A datagram shorter than 24 bytes or with another magic is "non-MCR". In --raw mode mcrgen sends
// exactly --size bytes of filler (0 allowed) with no header, and mcrsink counts packets and bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace mcr::tools {

inline constexpr uint32_t kPayloadMagic = 0x3152434d;
inline constexpr std::size_t kPayloadHeaderBytes = 24;

struct PayloadHeader {
  uint32_t stream_id = 0;
  uint64_t sequence = 0;
  int64_t send_time_ns = 0;
};

enum class PayloadDecode { ok, too_short, bad_magic };

namespace detail {
template <typename T>
inline void store_le(std::byte* out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    out[i] = static_cast<std::byte>((static_cast<uint64_t>(value) >> (8 * i)) & 0xff);
  }
}
template <typename T>
inline T load_le(const std::byte* in) {
  uint64_t value = 0;
  for (std::size_t i = 0; i < sizeof(T); ++i) {
    value |= static_cast<uint64_t>(in[i]) << (8 * i);
  }
  return static_cast<T>(value);
}
}  // namespace detail

// Writes the 24-byte header at the start of out. out must hold at least kPayloadHeaderBytes.
// Inline: it runs once per sent datagram.
inline void encode_payload_header(const PayloadHeader& header, std::span<std::byte> out) {
  std::byte* p = out.data();
  detail::store_le<uint32_t>(p, kPayloadMagic);
  detail::store_le<uint32_t>(p + 4, header.stream_id);
  detail::store_le<uint64_t>(p + 8, header.sequence);
  detail::store_le<int64_t>(p + 16, header.send_time_ns);
}

// Reads the header from the first bytes of a received datagram. Inline: once per datagram.
inline PayloadDecode decode_payload_header(std::span<const std::byte> in, PayloadHeader& out) {
  if (in.size() < kPayloadHeaderBytes) return PayloadDecode::too_short;
  const std::byte* p = in.data();
  if (detail::load_le<uint32_t>(p) != kPayloadMagic) return PayloadDecode::bad_magic;
  out.stream_id = detail::load_le<uint32_t>(p + 4);
  out.sequence = detail::load_le<uint64_t>(p + 8);
  out.send_time_ns = detail::load_le<int64_t>(p + 16);
  return PayloadDecode::ok;
}

// Fills a whole datagram with the filler pattern (byte i = i & 0xff); done once per buffer at
// start-up, after which only the header is rewritten per datagram.
void fill_payload_filler(std::span<std::byte> datagram);

}  // namespace mcr::tools
