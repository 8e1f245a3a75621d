// Interface names to kernel interface indexes: every join, IP_MULTICAST_IF and IP_UNICAST_IF
// uses the index, so a relay names its interfaces once and resolves them when sockets open.
#pragma once

#include <string>

namespace mcr {

// The interface's index (SIOCGIFINDEX), or SystemError(field, ENODEV, "unknown interface '<name>'");
// when the lookup itself fails (no descriptor left: EMFILE, ENFILE), SystemError with that errno.
unsigned interface_index(const std::string& name, const std::string& field);

// What an interface is right now. `index` 0 = no interface of that name exists.
struct InterfaceStatus {
  unsigned index = 0;
  bool up = false;  // IFF_UP and IFF_RUNNING: administratively up with carrier

  bool exists() const noexcept { return index != 0; }
};

// Reads the current index and flags of `name` (if_nametoindex + SIOCGIFFLAGS); never throws.
InterfaceStatus query_interface(const std::string& name);

// The MTU of `name` in bytes (SIOCGIFMTU); 0 when it cannot be read. Never throws.
unsigned interface_mtu(const std::string& name);

}  // namespace mcr
