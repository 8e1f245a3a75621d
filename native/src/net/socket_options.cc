// Thin, error-naming wrappers over socket/setsockopt/getsockopt for the socket builders.
#include "net/socket_options.h"

#include <net/if.h>
#include <netinet/in.h>

#include <cerrno>

#include "net/system_error.h"

namespace mcr {

template <typename Value>
void set_option(const Fd& fd, int level, int name, const Value& value, const std::string& field,
                const std::string& what) {
  if (setsockopt(fd.get(), level, name, &value, sizeof(value)) != 0) {
    throw SystemError(field, errno, "cannot set " + what);
  }
}

template void set_option<int>(const Fd&, int, int, const int&, const std::string&, const std::string&);
template void set_option<ip_mreqn>(const Fd&, int, int, const ip_mreqn&, const std::string&, const std::string&);
template void set_option<group_req>(const Fd&, int, int, const group_req&, const std::string&, const std::string&);
template void set_option<group_source_req>(const Fd&, int, int, const group_source_req&, const std::string&,
                                           const std::string&);

Fd open_udp_socket(int family, bool non_blocking, const std::string& field) {
  const int flags = SOCK_DGRAM | SOCK_CLOEXEC | (non_blocking ? SOCK_NONBLOCK : 0);
  Fd fd(socket(family, flags, IPPROTO_UDP));
  if (!fd) throw SystemError(field, errno, "cannot open a UDP socket");
  return fd;
}

int set_buffer_size(const Fd& fd, int force_option, int option, int bytes, const std::string& field) {
  if (setsockopt(fd.get(), SOL_SOCKET, force_option, &bytes, sizeof(bytes)) != 0) {
    // Without CAP_NET_ADMIN the kernel caps the plain option at net.core.*mem_max; that is fine.
    set_option(fd, SOL_SOCKET, option, bytes, field, "the socket buffer size");
  }
  return get_int_option(fd, SOL_SOCKET, option);
}

int get_int_option(const Fd& fd, int level, int name) {
  int value = 0;
  socklen_t length = sizeof(value);
  if (getsockopt(fd.get(), level, name, &value, &length) != 0) return -1;
  return value;
}

}  // namespace mcr
