// Socket helpers for the traffic tools.
#include "common/socket_util.h"

#include <netinet/in.h>

#include <cerrno>

#include "common/address.h"
#include "common/errors.h"

namespace mcr::tools {

UniqueFd open_udp_socket(int family) {
  UniqueFd fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP));
  if (!fd.valid()) {
    throw SystemError(
        family == AF_INET6 ? "socket(AF_INET6, SOCK_DGRAM)" : "socket(AF_INET, SOCK_DGRAM)", errno);
  }
  return fd;
}

void set_socket_option(int fd, int level, int name, const void* value, socklen_t length,
                       const std::string& what) {
  if (::setsockopt(fd, level, name, value, length) != 0) throw SystemError(what, errno);
}

void set_int_option(int fd, int level, int name, int value, const std::string& what) {
  set_socket_option(fd, level, name, &value, sizeof(value), what);
}

uint16_t local_port(int fd) {
  SocketAddress address;
  address.length = sizeof(address.storage);
  if (::getsockname(fd, address.sockaddr_ptr(), &address.length) != 0) {
    throw SystemError("getsockname", errno);
  }
  return address.port();
}

}  // namespace mcr::tools
