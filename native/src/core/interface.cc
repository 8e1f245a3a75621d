// Resolves interface names for the socket layer, naming the spec field when one does not exist,
// and reads an interface's current state for the interface monitor.
#include "core/interface.h"

#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "core/engine.h"
#include "net/fd.h"

namespace mcr {

unsigned interface_index(const std::string& name, const std::string& field) {
  if (name.size() >= IF_NAMESIZE) {
    throw SystemError(field, ENODEV, "unknown interface '" + name + "' (longer than an interface name can be)");
  }
  // SIOCGIFINDEX on a socket of our own, which is what if_nametoindex does, but with the errno
  // kept: out of descriptors (EMFILE, ENFILE) if_nametoindex fails for an interface that exists
  // and leaves the errno of its last fallback (ENOENT), which read as "no such interface".
  const Fd probe(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe) throw SystemError(field, errno, "cannot look up interface '" + name + "'");
  ifreq request{};
  std::memcpy(request.ifr_name, name.c_str(), name.size());
  if (ioctl(probe.get(), SIOCGIFINDEX, &request) == 0) return static_cast<unsigned>(request.ifr_ifindex);
  const int err = errno;
  if (err == ENODEV) throw SystemError(field, ENODEV, "unknown interface '" + name + "'");
  throw SystemError(field, err, "cannot look up interface '" + name + "'");
}

InterfaceStatus query_interface(const std::string& name) {
  InterfaceStatus status;
  if (name.empty() || name.size() >= IF_NAMESIZE) return status;
  status.index = if_nametoindex(name.c_str());
  if (status.index == 0) return status;
  // Any socket answers SIOCGIFFLAGS; a datagram socket is the cheapest to open.
  const Fd probe(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe) return status;
  ifreq request{};
  std::memcpy(request.ifr_name, name.c_str(), name.size());
  if (ioctl(probe.get(), SIOCGIFFLAGS, &request) != 0) {
    if (errno == ENODEV) status.index = 0;  // deleted between the two calls
    return status;
  }
  const unsigned flags = static_cast<unsigned>(request.ifr_flags);
  status.up = (flags & IFF_UP) != 0 && (flags & IFF_RUNNING) != 0;
  return status;
}

unsigned interface_mtu(const std::string& name) {
  if (name.empty() || name.size() >= IF_NAMESIZE) return 0;
  const Fd probe(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!probe) return 0;
  ifreq request{};
  std::memcpy(request.ifr_name, name.c_str(), name.size());
  if (ioctl(probe.get(), SIOCGIFMTU, &request) != 0 || request.ifr_mtu <= 0) return 0;
  return static_cast<unsigned>(request.ifr_mtu);
}

}  // namespace mcr
