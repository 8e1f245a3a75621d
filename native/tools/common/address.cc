// Address parsing and interface lookup for mcrgen and mcrsink.
#include "common/address.h"

#include <arpa/inet.h>
#include <net/if.h>

#include <cstring>

#include "common/errors.h"

namespace mcr::tools {
namespace {

const sockaddr_in& as_v4(const sockaddr_storage& s) {
  return *reinterpret_cast<const sockaddr_in*>(&s);
}
const sockaddr_in6& as_v6(const sockaddr_storage& s) {
  return *reinterpret_cast<const sockaddr_in6*>(&s);
}

std::optional<SocketAddress> parse_v4(const std::string& text, uint16_t port) {
  SocketAddress address;
  auto* v4 = reinterpret_cast<sockaddr_in*>(&address.storage);
  if (inet_pton(AF_INET, text.c_str(), &v4->sin_addr) != 1) return std::nullopt;
  v4->sin_family = AF_INET;
  v4->sin_port = htons(port);
  address.length = sizeof(sockaddr_in);
  return address;
}

std::optional<SocketAddress> parse_v6(std::string_view text, uint16_t port) {
  const auto percent = text.find('%');
  const std::string host(text.substr(0, percent));
  SocketAddress address;
  auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
  if (inet_pton(AF_INET6, host.c_str(), &v6->sin6_addr) != 1) return std::nullopt;
  if (percent != std::string_view::npos) {
    const std::string zone(text.substr(percent + 1));
    const unsigned index = if_nametoindex(zone.c_str());
    if (index == 0) return std::nullopt;
    v6->sin6_scope_id = index;
  }
  v6->sin6_family = AF_INET6;
  v6->sin6_port = htons(port);
  address.length = sizeof(sockaddr_in6);
  return address;
}

}  // namespace

bool SocketAddress::is_multicast() const {
  if (family() == AF_INET) return IN_MULTICAST(ntohl(as_v4(storage).sin_addr.s_addr));
  if (family() == AF_INET6) return IN6_IS_ADDR_MULTICAST(&as_v6(storage).sin6_addr);
  return false;
}

uint16_t SocketAddress::port() const {
  return ntohs(family() == AF_INET ? as_v4(storage).sin_port : as_v6(storage).sin6_port);
}

void SocketAddress::set_port(uint16_t port) {
  if (family() == AF_INET) {
    reinterpret_cast<sockaddr_in*>(&storage)->sin_port = htons(port);
  } else {
    reinterpret_cast<sockaddr_in6*>(&storage)->sin6_port = htons(port);
  }
}

std::string SocketAddress::address_text() const {
  char text[INET6_ADDRSTRLEN] = {};
  if (family() == AF_INET) {
    inet_ntop(AF_INET, &as_v4(storage).sin_addr, text, sizeof(text));
  } else {
    inet_ntop(AF_INET6, &as_v6(storage).sin6_addr, text, sizeof(text));
  }
  return text;
}

std::optional<SocketAddress> parse_ip_address(std::string_view text, uint16_t port) {
  if (text.find(':') != std::string_view::npos) return parse_v6(text, port);
  return parse_v4(std::string(text), port);
}

SocketAddress parse_address_flag(std::string_view flag, std::string_view text, uint16_t port) {
  auto address = parse_ip_address(text, port);
  if (!address) {
    throw UsageError("--" + std::string(flag) +
                     ": expected an IPv4 or IPv6 address (IPv6 may end in %interface), got '" +
                     std::string(text) + "'");
  }
  return *address;
}

unsigned resolve_interface(std::string_view name) {
  const std::string copy(name);
  const unsigned index = copy.empty() ? 0 : if_nametoindex(copy.c_str());
  if (index == 0) throw UsageError("--interface: no such interface '" + copy + "'");
  return index;
}

}  // namespace mcr::tools
