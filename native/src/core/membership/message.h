// A received IGMP or MLD message in one shape for both families: what the membership table and
// the querier election need, nothing about the wire.
#pragma once

#include <cstdint>
#include <vector>

#include "net/address.h"

namespace mcr::membership {

// RFC 3376 section 4.2.12 / RFC 3810 section 5.2.12 record types. Version 1 and 2 reports
// become is_exclude with no sources (a join), leaves and dones to_include with no sources.
enum class RecordType : uint8_t {
  is_include = 1,
  is_exclude = 2,
  to_include = 3,
  to_exclude = 4,
  allow = 5,
  block = 6,
};

struct GroupRecord {
  RecordType type = RecordType::is_exclude;
  IpAddress group;
  std::vector<IpAddress> sources;
};

enum class MessageKind : uint8_t { query, report };

struct Message {
  MessageKind kind = MessageKind::report;
  // Protocol version of the message: IGMP 1, 2 or 3; MLD 1 or 2.
  int version = 0;
  IpAddress sender;
  // Queries: the group queried (unspecified for a general query) and the max response time.
  IpAddress query_group;
  int64_t max_response_ns = 0;
  // Reports, leaves and dones.
  std::vector<GroupRecord> records;
};

// 0.0.0.0 or :: of the family: a general query's group.
IpAddress unspecified_address(int family);
bool is_unspecified(const IpAddress& address);
// Numeric order of two addresses of one family: the querier election compares them so.
int compare_addresses(const IpAddress& a, const IpAddress& b);

}  // namespace mcr::membership
