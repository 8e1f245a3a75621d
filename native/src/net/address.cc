// Parsing and formatting of IP and socket addresses for the relay spec and the socket layer.
#include "net/address.h"

#include <arpa/inet.h>

#include <cstring>

namespace mcr {

bool IpAddress::operator==(const IpAddress& other) const noexcept {
  if (family != other.family) return false;
  if (family == AF_INET) return v4.s_addr == other.v4.s_addr;
  return std::memcmp(&v6, &other.v6, sizeof(v6)) == 0;
}

std::optional<IpAddress> parse_ip_address(std::string_view text) {
  const std::string copy(text);  // inet_pton needs a terminated string
  IpAddress address;
  if (inet_pton(AF_INET, copy.c_str(), &address.v4) == 1) {
    address.family = AF_INET;
    return address;
  }
  if (inet_pton(AF_INET6, copy.c_str(), &address.v6) == 1) {
    address.family = AF_INET6;
    return address;
  }
  return std::nullopt;
}

bool is_multicast(const IpAddress& address) noexcept {
  if (address.family == AF_INET) return (ntohl(address.v4.s_addr) >> 28) == 0xE;  // 224.0.0.0/4
  return address.v6.s6_addr[0] == 0xFF;                                             // ff00::/8
}

bool needs_scope_id(const IpAddress& address) noexcept {
  if (address.family != AF_INET6) return false;
  const uint8_t* bytes = address.v6.s6_addr;
  const bool link_local_unicast = bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80;
  const bool link_local_multicast = bytes[0] == 0xFF && (bytes[1] & 0x0F) == 0x02;
  return link_local_unicast || link_local_multicast;
}

std::string family_name(int family) {
  if (family == AF_INET) return "IPv4";
  if (family == AF_INET6) return "IPv6";
  return "unknown family";
}

SocketAddress make_socket_address(const IpAddress& address, uint16_t port, uint32_t scope_id) {
  SocketAddress result;
  if (address.family == AF_INET) {
    sockaddr_in in{};
    in.sin_family = AF_INET;
    in.sin_port = htons(port);
    in.sin_addr = address.v4;
    std::memcpy(&result.storage, &in, sizeof(in));
    result.length = sizeof(in);
  } else {
    sockaddr_in6 in6{};
    in6.sin6_family = AF_INET6;
    in6.sin6_port = htons(port);
    in6.sin6_addr = address.v6;
    in6.sin6_scope_id = needs_scope_id(address) ? scope_id : 0;
    std::memcpy(&result.storage, &in6, sizeof(in6));
    result.length = sizeof(in6);
  }
  return result;
}

std::string format_endpoint(const SocketAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.family() == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &address.storage, sizeof(in));
    inet_ntop(AF_INET, &in.sin_addr, text, sizeof(text));
    return std::string(text) + ":" + std::to_string(ntohs(in.sin_port));
  }
  if (address.family() == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address.storage, sizeof(in6));
    inet_ntop(AF_INET6, &in6.sin6_addr, text, sizeof(text));
    // Appended piece by piece: g++ 12 -O3 misreports "[" + std::string as -Wrestrict.
    std::string endpoint(1, '[');
    endpoint.append(text).append("]:").append(std::to_string(ntohs(in6.sin6_port)));
    return endpoint;
  }
  return "(no address)";
}

}  // namespace mcr
