// IPv4/IPv6 socket addresses for the tools: numeric parsing (with an optional %zone for IPv6
// link-local), multicast detection, and interface-name lookup.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcr::tools {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const { return storage.ss_family; }
  bool is_ipv6() const { return family() == AF_INET6; }
  bool is_multicast() const;
  uint16_t port() const;
  void set_port(uint16_t port);
  const sockaddr* sockaddr_ptr() const { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* sockaddr_ptr() { return reinterpret_cast<sockaddr*>(&storage); }
  std::string address_text() const;  // without the port
};

// Parses "239.1.1.1", "10.0.0.2", "ff15::1", "fe80::1%veth0"; nullopt when it is none of these.
std::optional<SocketAddress> parse_ip_address(std::string_view text, uint16_t port);

// The same, throwing UsageError("--<flag>: expected an IPv4 or IPv6 address, got '<text>'").
SocketAddress parse_address_flag(std::string_view flag, std::string_view text, uint16_t port);

// Interface index for a name; throws UsageError("--interface: no such interface '<name>'").
unsigned resolve_interface(std::string_view name);

}  // namespace mcr::tools
