// IGMP (RFC 2236, RFC 3376) and MLD (RFC 2710, RFC 3810) on the wire: parsing what a packet
// socket hands over (the IP header first) and encoding the queries the querier sends.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/membership/message.h"
#include "core/membership/timers.h"

namespace mcr::membership {

// An IPv4 packet carrying IGMP; nullopt for anything else, a bad checksum or a truncated message.
std::optional<Message> parse_ipv4_packet(std::span<const uint8_t> packet);
// An IPv6 packet carrying MLD (after a hop-by-hop header); nullopt otherwise or when the ICMPv6
// checksum is wrong.
std::optional<Message> parse_ipv6_packet(std::span<const uint8_t> packet);

// The IGMP message of a query (version 1, 2 or 3) with its checksum; the socket adds the IP
// header with TTL 1 and the Router Alert option. `group` unspecified = a general query.
std::vector<uint8_t> encode_igmp_query(int version, const IpAddress& group, int64_t max_response_ns,
                                       const Timers& timers);
// The ICMPv6 message of an MLD query (version 1 or 2); the kernel fills in the checksum.
std::vector<uint8_t> encode_mld_query(int version, const IpAddress& group, int64_t max_response_ns,
                                      const Timers& timers);

// The RFCs' exponential codes (max response code, QQIC): exact below the threshold, a mantissa
// and exponent above it. `mantissa_bits` is 4 for IGMPv3, 12 for MLDv2's max response code.
uint32_t encode_exponential(uint32_t value, int mantissa_bits);
uint32_t decode_exponential(uint32_t code, int mantissa_bits);

// The Internet checksum (RFC 1071) over `bytes`, continuing from `sum`.
uint32_t checksum_add(uint32_t sum, std::span<const uint8_t> bytes);
uint16_t checksum_finish(uint32_t sum);

}  // namespace mcr::membership
