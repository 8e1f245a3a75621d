// Address and interface flags of mcrgen and mcrsink.
#include "common/address_flags.h"

#include <net/if.h>

#include <string>

#include "common/errors.h"

namespace mcr::tools {

SocketAddress parse_address_flag(std::string_view flag, std::string_view text, uint16_t port) {
  auto address = parse_socket_address(text, port);
  if (!address) {
    throw UsageError("--" + std::string(flag) +
                     ": expected an IPv4 or IPv6 address (IPv6 may end in %interface), got '" + std::string(text) +
                     "'");
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
