// Parsing and formatting of IP and socket addresses, and the fields read from a sockaddr.
#include "net/address.h"

#include <arpa/inet.h>
#include <net/if.h>

#include <cstring>

namespace mcr {

namespace {

// The sockaddr_in / sockaddr_in6 inside the storage, copied out (no aliasing through casts).
sockaddr_in as_v4(const sockaddr_storage& storage) noexcept {
  sockaddr_in in{};
  std::memcpy(&in, &storage, sizeof(in));
  return in;
}

sockaddr_in6 as_v6(const sockaddr_storage& storage) noexcept {
  sockaddr_in6 in6{};
  std::memcpy(&in6, &storage, sizeof(in6));
  return in6;
}

}  // namespace

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
  return address.v6.s6_addr[0] == 0xFF;                                           // ff00::/8
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

std::string format_ip_address(const IpAddress& address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address.family == AF_INET) {
    inet_ntop(AF_INET, &address.v4, text, sizeof(text));
  } else {
    inet_ntop(AF_INET6, &address.v6, text, sizeof(text));
  }
  return text;
}

IpAddress SocketAddress::ip() const noexcept {
  IpAddress address;
  address.family = family();
  if (family() == AF_INET) address.v4 = as_v4(storage).sin_addr;
  if (family() == AF_INET6) address.v6 = as_v6(storage).sin6_addr;
  return address;
}

uint16_t SocketAddress::port() const noexcept {
  return ntohs(family() == AF_INET ? as_v4(storage).sin_port : as_v6(storage).sin6_port);
}

void SocketAddress::set_port(uint16_t port) noexcept {
  if (family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
  }
}

uint32_t SocketAddress::scope_id() const noexcept {
  return family() == AF_INET6 ? as_v6(storage).sin6_scope_id : 0;
}

void SocketAddress::set_scope_id(uint32_t scope_id) noexcept {
  if (family() == AF_INET6) reinterpret_cast<sockaddr_in6*>(&storage)->sin6_scope_id = scope_id;
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

std::optional<SocketAddress> parse_socket_address(std::string_view text, uint16_t port) {
  const auto percent = text.find('%');
  const auto address = parse_ip_address(text.substr(0, percent));
  if (!address) return std::nullopt;
  SocketAddress result = make_socket_address(*address, port);
  if (percent == std::string_view::npos) return result;
  if (address->family != AF_INET6) return std::nullopt;
  const std::string zone(text.substr(percent + 1));
  const unsigned index = if_nametoindex(zone.c_str());
  if (index == 0) return std::nullopt;
  result.set_scope_id(index);
  return result;
}

std::string format_endpoint(const SocketAddress& address) {
  if (address.family() == AF_INET) {
    return format_ip_address(address.ip()) + ":" + std::to_string(address.port());
  }
  if (address.family() == AF_INET6) {
    // Appended piece by piece: g++ 12 -O3 misreports "[" + std::string as -Wrestrict.
    std::string endpoint(1, '[');
    endpoint.append(format_ip_address(address.ip())).append("]:");
    endpoint.append(std::to_string(address.port()));
    return endpoint;
  }
  return "(no address)";
}

}  // namespace mcr
