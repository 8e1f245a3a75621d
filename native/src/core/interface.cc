// Resolves interface names for the socket layer, naming the spec field when one does not exist.
#include "core/interface.h"

#include <net/if.h>

#include <cerrno>

#include "core/engine.h"

namespace mcr {

unsigned interface_index(const std::string& name, const std::string& field) {
  if (name.size() >= IF_NAMESIZE) {
    throw SystemError(field, ENODEV, "unknown interface '" + name + "' (longer than an interface name can be)");
  }
  const unsigned index = if_nametoindex(name.c_str());
  if (index == 0) throw SystemError(field, ENODEV, "unknown interface '" + name + "'");
  return index;
}

}  // namespace mcr
