#include "core/membership/wire.h"

#include <netinet/in.h>

#include <cstring>

namespace mcr::membership {
namespace {

// IGMP types (RFC 3376 section 4, appendix).
constexpr uint8_t kIgmpQuery = 0x11;
constexpr uint8_t kIgmpV1Report = 0x12;
constexpr uint8_t kIgmpV2Report = 0x16;
constexpr uint8_t kIgmpV2Leave = 0x17;
constexpr uint8_t kIgmpV3Report = 0x22;
// ICMPv6 types of MLD (RFC 3810 section 5).
constexpr uint8_t kMldQuery = 130;
constexpr uint8_t kMldV1Report = 131;
constexpr uint8_t kMldV1Done = 132;
constexpr uint8_t kMldV2Report = 143;

constexpr uint8_t kIpProtoHopByHop = 0;
constexpr uint8_t kIpProtoDestinationOptions = 60;
constexpr uint8_t kIpProtoIcmpv6 = 58;

constexpr size_t kIgmpV2Length = 8;
constexpr size_t kIgmpV3QueryLength = 12;
constexpr size_t kMldV1Length = 24;
constexpr size_t kMldV2QueryLength = 28;
constexpr int64_t kDecisecondNs = 100'000'000;

uint16_t read16(std::span<const uint8_t> bytes, size_t at) {
  return static_cast<uint16_t>(bytes[at] << 8 | bytes[at + 1]);
}

void write16(std::vector<uint8_t>& bytes, size_t at, uint32_t value) {
  bytes[at] = static_cast<uint8_t>(value >> 8);
  bytes[at + 1] = static_cast<uint8_t>(value);
}

IpAddress read_v4(std::span<const uint8_t> bytes, size_t at) {
  IpAddress address = unspecified_address(AF_INET);
  std::memcpy(&address.v4, bytes.data() + at, sizeof address.v4);
  return address;
}

IpAddress read_v6(std::span<const uint8_t> bytes, size_t at) {
  IpAddress address = unspecified_address(AF_INET6);
  std::memcpy(&address.v6, bytes.data() + at, sizeof address.v6);
  return address;
}

GroupRecord join_or_leave(RecordType type, const IpAddress& group) {
  return GroupRecord{type, group, {}};
}

// Group records of an IGMPv3 or MLDv2 report, from the first record on; false when truncated.
bool parse_records(std::span<const uint8_t> message, size_t at, unsigned count, size_t address_bytes,
                   std::vector<GroupRecord>& records) {
  const auto read_address = address_bytes == 4 ? read_v4 : read_v6;
  for (unsigned i = 0; i < count; ++i) {
    if (at + 4 + address_bytes > message.size()) return false;
    const uint8_t type = message[at];
    const size_t aux_bytes = size_t{message[at + 1]} * 4;
    const unsigned sources = read16(message, at + 2);
    const size_t end = at + 4 + address_bytes * (1 + sources) + aux_bytes;
    if (end > message.size()) return false;
    if (type >= static_cast<uint8_t>(RecordType::is_include) && type <= static_cast<uint8_t>(RecordType::block)) {
      GroupRecord record{static_cast<RecordType>(type), read_address(message, at + 4), {}};
      for (unsigned s = 0; s < sources; ++s) {
        record.sources.push_back(read_address(message, at + 4 + address_bytes * (1 + s)));
      }
      records.push_back(std::move(record));
    }  // unknown record types are skipped (RFC 3376 section 4.2.12)
    at = end;
  }
  return true;
}

std::optional<Message> parse_igmp(std::span<const uint8_t> igmp, const IpAddress& sender) {
  if (igmp.size() < kIgmpV2Length || checksum_finish(checksum_add(0, igmp)) != 0) return std::nullopt;
  Message message;
  message.sender = sender;
  switch (igmp[0]) {
    case kIgmpQuery: {
      message.kind = MessageKind::query;
      message.query_group = read_v4(igmp, 4);
      if (igmp.size() >= kIgmpV3QueryLength) {
        message.version = 3;
        message.max_response_ns = decode_exponential(igmp[1], 4) * kDecisecondNs;
      } else {
        message.version = igmp[1] == 0 ? 1 : 2;  // RFC 2236 section 4: v1 queries have code 0
        message.max_response_ns = (igmp[1] == 0 ? 100 : igmp[1]) * kDecisecondNs;
      }
      return message;
    }
    case kIgmpV1Report:
    case kIgmpV2Report:
      message.version = igmp[0] == kIgmpV1Report ? 1 : 2;
      message.records.push_back(join_or_leave(RecordType::is_exclude, read_v4(igmp, 4)));
      return message;
    case kIgmpV2Leave:
      message.version = 2;
      message.records.push_back(join_or_leave(RecordType::to_include, read_v4(igmp, 4)));
      return message;
    case kIgmpV3Report:
      message.version = 3;
      if (!parse_records(igmp, 8, read16(igmp, 6), 4, message.records)) return std::nullopt;
      return message;
    default:
      return std::nullopt;
  }
}

std::optional<Message> parse_mld(std::span<const uint8_t> icmp, const IpAddress& sender) {
  if (icmp.size() < kMldV1Length && !(icmp.size() >= 8 && icmp[0] == kMldV2Report)) return std::nullopt;
  Message message;
  message.sender = sender;
  switch (icmp[0]) {
    case kMldQuery: {
      message.kind = MessageKind::query;
      message.query_group = read_v6(icmp, 8);
      message.version = icmp.size() >= kMldV2QueryLength ? 2 : 1;
      const uint32_t code = read16(icmp, 4);
      message.max_response_ns =
          (message.version == 2 ? decode_exponential(code, 12) : code) * int64_t{kNanosecondsPerMillisecond};
      return message;
    }
    case kMldV1Report:
    case kMldV1Done:
      message.version = 1;
      message.records.push_back(
          join_or_leave(icmp[0] == kMldV1Report ? RecordType::is_exclude : RecordType::to_include, read_v6(icmp, 8)));
      return message;
    case kMldV2Report:
      message.version = 2;
      if (!parse_records(icmp, 8, read16(icmp, 6), 16, message.records)) return std::nullopt;
      return message;
    default:
      return std::nullopt;
  }
}

}  // namespace

uint32_t checksum_add(uint32_t sum, std::span<const uint8_t> bytes) {
  size_t i = 0;
  for (; i + 1 < bytes.size(); i += 2) sum += static_cast<uint32_t>(bytes[i] << 8 | bytes[i + 1]);
  if (i < bytes.size()) sum += static_cast<uint32_t>(bytes[i] << 8);
  return sum;
}

uint16_t checksum_finish(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

uint32_t encode_exponential(uint32_t value, int mantissa_bits) {
  const uint32_t threshold = 1u << (mantissa_bits + 3);  // 128 for IGMPv3, 32768 for MLDv2
  if (value < threshold) return value;
  for (uint32_t exponent = 0; exponent < 8; ++exponent) {
    const uint32_t mantissa = value >> (exponent + 3);
    if (mantissa < (2u << mantissa_bits)) {
      return threshold | exponent << mantissa_bits | (mantissa & ((1u << mantissa_bits) - 1));
    }
  }
  return threshold | 7u << mantissa_bits | ((1u << mantissa_bits) - 1);  // the largest code
}

uint32_t decode_exponential(uint32_t code, int mantissa_bits) {
  const uint32_t threshold = 1u << (mantissa_bits + 3);
  if (code < threshold) return code;
  const uint32_t mantissa = code & ((1u << mantissa_bits) - 1);
  const uint32_t exponent = (code >> mantissa_bits) & 7;
  return (mantissa | 1u << mantissa_bits) << (exponent + 3);
}

std::optional<Message> parse_ipv4_packet(std::span<const uint8_t> packet) {
  if (packet.size() < 20 || packet[0] >> 4 != 4) return std::nullopt;
  const size_t header_bytes = size_t{packet[0] & 0x0fu} * 4;
  const size_t total = read16(packet, 2);
  if (header_bytes < 20 || total > packet.size() || total < header_bytes || packet[9] != IPPROTO_IGMP) {
    return std::nullopt;
  }
  return parse_igmp(packet.subspan(header_bytes, total - header_bytes), read_v4(packet, 12));
}

std::optional<Message> parse_ipv6_packet(std::span<const uint8_t> packet) {
  constexpr size_t kHeaderBytes = 40;
  if (packet.size() < kHeaderBytes || packet[0] >> 4 != 6) return std::nullopt;
  const size_t end = kHeaderBytes + read16(packet, 4);
  if (end > packet.size()) return std::nullopt;
  uint8_t next = packet[6];
  size_t at = kHeaderBytes;
  while (next == kIpProtoHopByHop || next == kIpProtoDestinationOptions) {
    if (at + 8 > end) return std::nullopt;
    next = packet[at];
    at += (size_t{packet[at + 1]} + 1) * 8;
  }
  if (next != kIpProtoIcmpv6 || at > end) return std::nullopt;
  const std::span<const uint8_t> icmp = packet.subspan(at, end - at);
  // Pseudo-header (RFC 8200 section 8.1): source, destination, upper-layer length, next header.
  uint32_t sum = checksum_add(0, packet.subspan(8, 32));
  sum += static_cast<uint32_t>(icmp.size() >> 16) + static_cast<uint32_t>(icmp.size() & 0xffff) + kIpProtoIcmpv6;
  if (checksum_finish(checksum_add(sum, icmp)) != 0) return std::nullopt;
  return parse_mld(icmp, read_v6(packet, 8));
}

std::vector<uint8_t> encode_igmp_query(int version, const IpAddress& group, int64_t max_response_ns,
                                       const Timers& timers) {
  std::vector<uint8_t> igmp(version == 3 ? kIgmpV3QueryLength : kIgmpV2Length, 0);
  igmp[0] = kIgmpQuery;
  const auto deciseconds = static_cast<uint32_t>(max_response_ns / kDecisecondNs);
  if (version == 3) {
    igmp[1] = static_cast<uint8_t>(encode_exponential(deciseconds, 4));
    igmp[8] = static_cast<uint8_t>(timers.robustness <= 7 ? timers.robustness : 0);  // S = 0, QRV
    igmp[9] = static_cast<uint8_t>(
        encode_exponential(static_cast<uint32_t>(timers.query_interval_ns / kNanosecondsPerSecond), 4));  // QQIC
  } else if (version == 2) {
    igmp[1] = static_cast<uint8_t>(deciseconds > 255 ? 255 : deciseconds);
  }  // version 1: the code stays 0
  std::memcpy(igmp.data() + 4, &group.v4, sizeof group.v4);
  write16(igmp, 2, checksum_finish(checksum_add(0, igmp)));
  return igmp;
}

std::vector<uint8_t> encode_mld_query(int version, const IpAddress& group, int64_t max_response_ns,
                                      const Timers& timers) {
  std::vector<uint8_t> icmp(version == 2 ? kMldV2QueryLength : kMldV1Length, 0);
  icmp[0] = kMldQuery;
  const auto milliseconds = static_cast<uint32_t>(max_response_ns / kNanosecondsPerMillisecond);
  write16(icmp, 4,
          version == 2 ? encode_exponential(milliseconds, 12) : (milliseconds > 0xffff ? 0xffff : milliseconds));
  std::memcpy(icmp.data() + 8, &group.v6, sizeof group.v6);
  if (version == 2) {
    icmp[24] = static_cast<uint8_t>(timers.robustness <= 7 ? timers.robustness : 0);
    icmp[25] = static_cast<uint8_t>(
        encode_exponential(static_cast<uint32_t>(timers.query_interval_ns / kNanosecondsPerSecond), 4));
  }
  return icmp;
}

}  // namespace mcr::membership
