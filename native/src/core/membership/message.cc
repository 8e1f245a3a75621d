#include "core/membership/message.h"

#include <cstring>

namespace mcr::membership {

IpAddress unspecified_address(int family) {
  IpAddress address;
  address.family = family;
  return address;
}

bool is_unspecified(const IpAddress& address) {
  if (address.family == AF_INET) return address.v4.s_addr == 0;
  static const in6_addr any = IN6ADDR_ANY_INIT;
  return std::memcmp(&address.v6, &any, sizeof any) == 0;
}

int compare_addresses(const IpAddress& a, const IpAddress& b) {
  if (a.family != b.family) return a.family < b.family ? -1 : 1;
  // Network byte order compares as the number it spells.
  if (a.family == AF_INET) return std::memcmp(&a.v4, &b.v4, sizeof a.v4);
  return std::memcmp(&a.v6, &b.v6, sizeof a.v6);
}

}  // namespace mcr::membership
