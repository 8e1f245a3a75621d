// Interface names to kernel interface indexes: every join, IP_MULTICAST_IF and IP_UNICAST_IF
// uses the index, so a relay names its interfaces once and resolves them when sockets open.
#pragma once

#include <string>

namespace mcr {

// if_nametoindex, or SystemError(field, ENODEV, "unknown interface '<name>'").
unsigned interface_index(const std::string& name, const std::string& field);

}  // namespace mcr
