// The tools' address and interface flags (--group, --bind, --source, --interface): the text parsed
// by the net layer, a bad value turned into a UsageError that names the flag.
#pragma once

#include <cstdint>
#include <string_view>

#include "net/address.h"

namespace mcr::tools {

// parse_socket_address, or a UsageError naming the flag:
// "--<flag>: expected an IPv4 or IPv6 address (IPv6 may end in %interface), got '<text>'".
SocketAddress parse_address_flag(std::string_view flag, std::string_view text, uint16_t port);

// Interface index for a name; throws UsageError("--interface: no such interface '<name>'").
unsigned resolve_interface(std::string_view name);

}  // namespace mcr::tools
