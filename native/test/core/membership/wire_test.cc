// IGMP and MLD on the wire: queries encode with the RFC fields and checksums, and what hosts send
// (v1/v2 reports, leaves, v3/MLDv2 records) parses into the shape the table uses.
#include "core/membership/wire.h"

#include <gtest/gtest.h>

#include <cstring>

namespace mcr::membership {
namespace {

IpAddress ip(const char* text) {
  return *parse_ip_address(text);
}

// An IPv4 packet with a Router Alert option around `igmp`, as a packet socket delivers it.
std::vector<uint8_t> ipv4_packet(const char* source, std::vector<uint8_t> igmp) {
  std::vector<uint8_t> packet(24, 0);
  packet[0] = 0x46;  // version 4, 6 words: 20 bytes + Router Alert
  const size_t total = packet.size() + igmp.size();
  packet[2] = static_cast<uint8_t>(total >> 8);
  packet[3] = static_cast<uint8_t>(total);
  packet[8] = 1;
  packet[9] = 2;  // IGMP
  const IpAddress from = ip(source);
  std::memcpy(packet.data() + 12, &from.v4, 4);
  packet.insert(packet.end(), igmp.begin(), igmp.end());
  return packet;
}

std::vector<uint8_t> with_checksum(std::vector<uint8_t> igmp) {
  const uint16_t sum = checksum_finish(checksum_add(0, igmp));
  igmp[2] = static_cast<uint8_t>(sum >> 8);
  igmp[3] = static_cast<uint8_t>(sum);
  return igmp;
}

// An IPv6 packet: header, hop-by-hop Router Alert, ICMPv6 `icmp` with its checksum computed.
std::vector<uint8_t> ipv6_packet(const char* source, const char* destination, std::vector<uint8_t> icmp) {
  std::vector<uint8_t> packet(48, 0);
  packet[0] = 0x60;
  const size_t payload = 8 + icmp.size();
  packet[4] = static_cast<uint8_t>(payload >> 8);
  packet[5] = static_cast<uint8_t>(payload);
  packet[6] = 0;  // hop-by-hop
  packet[7] = 1;
  const IpAddress from = ip(source);
  const IpAddress to = ip(destination);
  std::memcpy(packet.data() + 8, &from.v6, 16);
  std::memcpy(packet.data() + 24, &to.v6, 16);
  const uint8_t hop_by_hop[8] = {58, 0, 5, 2, 0, 0, 1, 0};  // next: ICMPv6; Router Alert; PadN
  std::memcpy(packet.data() + 40, hop_by_hop, 8);
  uint32_t sum = checksum_add(0, std::span<const uint8_t>(packet).subspan(8, 32));
  sum += static_cast<uint32_t>(icmp.size()) + 58;
  const uint16_t checksum = checksum_finish(checksum_add(sum, icmp));
  icmp[2] = static_cast<uint8_t>(checksum >> 8);
  icmp[3] = static_cast<uint8_t>(checksum);
  packet.insert(packet.end(), icmp.begin(), icmp.end());
  return packet;
}

TEST(MembershipWire, ExponentialCodesRoundTripAndMatchTheRfcExamples) {
  EXPECT_EQ(encode_exponential(100, 4), 100u);
  EXPECT_EQ(encode_exponential(128, 4), 0x80u);
  EXPECT_EQ(decode_exponential(0x80, 4), 128u);
  EXPECT_EQ(decode_exponential(0xff, 4), 31744u);  // the largest IGMPv3 code
  for (uint32_t value : {200u, 1250u, 3000u, 31744u}) {
    const uint32_t decoded = decode_exponential(encode_exponential(value, 4), 4);
    EXPECT_LE(decoded, value);
    EXPECT_GT(decoded * 17, value * 16);  // within one mantissa step
  }
  EXPECT_EQ(encode_exponential(10000, 12), 10000u);
  EXPECT_EQ(decode_exponential(encode_exponential(40000, 12), 12), 40000u);
}

TEST(MembershipWire, Igmpv3GeneralQueryCarriesCodesRobustnessAndAValidChecksum) {
  const Timers timers = Timers::for_interval_s(125);
  const auto igmp = encode_igmp_query(3, unspecified_address(AF_INET), 10 * kNanosecondsPerSecond, timers);
  ASSERT_EQ(igmp.size(), 12u);
  EXPECT_EQ(igmp[0], 0x11);
  EXPECT_EQ(igmp[1], 100);  // 10 s in tenths
  EXPECT_EQ(igmp[8], 2);    // QRV
  EXPECT_EQ(igmp[9], 125);  // QQIC: the query interval in seconds, exact below 128
  EXPECT_EQ(checksum_finish(checksum_add(0, igmp)), 0);
  const auto parsed = parse_ipv4_packet(ipv4_packet("10.0.0.1", igmp));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, MessageKind::query);
  EXPECT_EQ(parsed->version, 3);
  EXPECT_TRUE(is_unspecified(parsed->query_group));
  EXPECT_EQ(parsed->max_response_ns, 10 * kNanosecondsPerSecond);
}

TEST(MembershipWire, Igmpv2QueryIsEightBytesAndGroupSpecificCarriesTheGroup) {
  const auto igmp = encode_igmp_query(2, ip("239.1.1.1"), kNanosecondsPerSecond, Timers{});
  ASSERT_EQ(igmp.size(), 8u);
  EXPECT_EQ(igmp[1], 10);
  const auto parsed = parse_ipv4_packet(ipv4_packet("10.0.0.1", igmp));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->version, 2);
  EXPECT_EQ(parsed->query_group, ip("239.1.1.1"));
}

TEST(MembershipWire, Igmpv2ReportAndLeaveBecomeJoinAndLeaveRecords) {
  std::vector<uint8_t> report = {0x16, 0, 0, 0, 239, 1, 1, 1};
  const auto join = parse_ipv4_packet(ipv4_packet("10.0.0.9", with_checksum(report)));
  ASSERT_TRUE(join);
  EXPECT_EQ(join->version, 2);
  ASSERT_EQ(join->records.size(), 1u);
  EXPECT_EQ(join->records[0].type, RecordType::is_exclude);
  EXPECT_EQ(join->records[0].group, ip("239.1.1.1"));
  EXPECT_EQ(join->sender, ip("10.0.0.9"));
  report[0] = 0x17;
  const auto leave = parse_ipv4_packet(ipv4_packet("10.0.0.9", with_checksum(report)));
  ASSERT_TRUE(leave);
  EXPECT_EQ(leave->records[0].type, RecordType::to_include);
}

TEST(MembershipWire, ABadChecksumOrAnotherProtocolIsNotAMessage) {
  std::vector<uint8_t> report = with_checksum({0x16, 0, 0, 0, 239, 1, 1, 1});
  report[7] = 2;
  EXPECT_FALSE(parse_ipv4_packet(ipv4_packet("10.0.0.9", report)));
  auto udp = ipv4_packet("10.0.0.9", with_checksum({0x16, 0, 0, 0, 239, 1, 1, 1}));
  udp[9] = 17;
  EXPECT_FALSE(parse_ipv4_packet(udp));
}

TEST(MembershipWire, Igmpv3ReportRecordsKeepTypesGroupsAndSources) {
  std::vector<uint8_t> report = {0x22, 0, 0, 0, 0, 0, 0, 2,
                                 // IS_IN(232.1.1.1, {10.0.0.5, 10.0.0.6})
                                 1, 0, 0, 2, 232, 1, 1, 1, 10, 0, 0, 5, 10, 0, 0, 6,
                                 // TO_EX(239.2.2.2, {}) with one word of auxiliary data
                                 4, 1, 0, 0, 239, 2, 2, 2, 0xde, 0xad, 0xbe, 0xef};
  const auto parsed = parse_ipv4_packet(ipv4_packet("10.0.0.9", with_checksum(report)));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->version, 3);
  ASSERT_EQ(parsed->records.size(), 2u);
  EXPECT_EQ(parsed->records[0].type, RecordType::is_include);
  ASSERT_EQ(parsed->records[0].sources.size(), 2u);
  EXPECT_EQ(parsed->records[0].sources[1], ip("10.0.0.6"));
  EXPECT_EQ(parsed->records[1].type, RecordType::to_exclude);
  EXPECT_EQ(parsed->records[1].group, ip("239.2.2.2"));
}

TEST(MembershipWire, ATruncatedIgmpv3ReportIsRejected) {
  std::vector<uint8_t> report = {0x22, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 3, 232, 1, 1, 1, 10, 0, 0, 5};
  EXPECT_FALSE(parse_ipv4_packet(ipv4_packet("10.0.0.9", with_checksum(report))));
}

TEST(MembershipWire, MldQueriesEncodeBothVersions) {
  const auto v2 = encode_mld_query(2, unspecified_address(AF_INET6), 10 * kNanosecondsPerSecond, Timers{});
  ASSERT_EQ(v2.size(), 28u);
  EXPECT_EQ(v2[0], 130);
  EXPECT_EQ(v2[4] << 8 | v2[5], 10000);
  EXPECT_EQ(v2[24], 2);
  const auto v1 = encode_mld_query(1, ip("ff3e::1"), kNanosecondsPerSecond, Timers{});
  ASSERT_EQ(v1.size(), 24u);
  const auto parsed = parse_ipv6_packet(ipv6_packet("fe80::1", "ff3e::1", v1));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->kind, MessageKind::query);
  EXPECT_EQ(parsed->version, 1);
  EXPECT_EQ(parsed->query_group, ip("ff3e::1"));
  EXPECT_EQ(parsed->max_response_ns, kNanosecondsPerSecond);
}

TEST(MembershipWire, MldReportsParseAndABadChecksumIsRejected) {
  std::vector<uint8_t> v1(24, 0);
  v1[0] = 131;
  const IpAddress group = ip("ff3e::1:2");
  std::memcpy(v1.data() + 8, &group.v6, 16);
  const auto join = parse_ipv6_packet(ipv6_packet("fe80::9", "ff3e::1:2", v1));
  ASSERT_TRUE(join);
  EXPECT_EQ(join->version, 1);
  EXPECT_EQ(join->records[0].group, group);
  EXPECT_EQ(join->sender, ip("fe80::9"));

  std::vector<uint8_t> v2 = {143, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0};  // TO_IN(group, {}): a leave
  v2.insert(v2.end(), reinterpret_cast<const uint8_t*>(&group.v6), reinterpret_cast<const uint8_t*>(&group.v6) + 16);
  auto packet = ipv6_packet("fe80::9", "ff02::16", v2);
  const auto leave = parse_ipv6_packet(packet);
  ASSERT_TRUE(leave);
  EXPECT_EQ(leave->version, 2);
  EXPECT_EQ(leave->records[0].type, RecordType::to_include);
  packet.back() ^= 1;
  EXPECT_FALSE(parse_ipv6_packet(packet));
}

}  // namespace
}  // namespace mcr::membership
