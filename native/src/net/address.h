// IP and socket addresses for the engine and the traffic tools: parsing (IPv4, IPv6, "ip%zone"),
// the multicast test, and building, reading and printing the sockaddr the socket calls take.
#pragma once

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mcr {

struct IpAddress {
  int family = AF_UNSPEC;  // AF_INET or AF_INET6
  in_addr v4{};
  in6_addr v6{};

  bool operator==(const IpAddress& other) const noexcept;
};

// inet_pton as IPv4, then IPv6; nullopt when the text is neither.
std::optional<IpAddress> parse_ip_address(std::string_view text);

bool is_multicast(const IpAddress& address) noexcept;

// Link-local addresses (fe80::/10, ff02::/16) mean nothing without the interface they are on.
bool needs_scope_id(const IpAddress& address) noexcept;

std::string family_name(int family);

// "239.1.1.1" or "ff3e::1": the address alone, without port or scope.
std::string format_ip_address(const IpAddress& address);

// A sockaddr_in / sockaddr_in6 ready for bind/connect/sendmsg, with its length.
struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  int family() const noexcept { return storage.ss_family; }
  const sockaddr* get() const noexcept { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() noexcept { return reinterpret_cast<sockaddr*>(&storage); }

  IpAddress ip() const noexcept;
  uint16_t port() const noexcept;
  void set_port(uint16_t port) noexcept;
  // The interface index of an IPv6 address; 0 for IPv4, which has none (set_scope_id ignores it).
  uint32_t scope_id() const noexcept;
  void set_scope_id(uint32_t scope_id) noexcept;
};

// `scope_id` is the interface index for link-local IPv6 addresses; ignored for IPv4.
SocketAddress make_socket_address(const IpAddress& address, uint16_t port, uint32_t scope_id = 0);

// "10.0.0.2", "ff15::1" or "fe80::1%veth0": an IPv6 address may name its interface after '%'
// (RFC 4007), which becomes its scope id whatever its scope. nullopt when the text is none of
// these, an IPv4 address has a zone, or the zone is no interface of this host.
std::optional<SocketAddress> parse_socket_address(std::string_view text, uint16_t port);

// "239.1.1.1:5000" or "[ff3e::1]:5000", for messages.
std::string format_endpoint(const SocketAddress& address);

}  // namespace mcr
