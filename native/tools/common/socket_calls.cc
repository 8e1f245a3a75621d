// Socket calls of the traffic tools, worded for their command line.
#include "common/socket_calls.h"

#include <netinet/in.h>

#include <cerrno>

#include "net/address.h"
#include "net/system_error.h"

namespace mcr::tools {

Fd open_tool_socket(int family) {
  Fd fd(::socket(family, SOCK_DGRAM | SOCK_CLOEXEC, IPPROTO_UDP));
  if (!fd) {
    throw SystemError::perror_style(family == AF_INET6 ? "socket(AF_INET6, SOCK_DGRAM)" : "socket(AF_INET, SOCK_DGRAM)",
                                    errno);
  }
  return fd;
}

void set_socket_option(const Fd& fd, int level, int name, const void* value, socklen_t length,
                       const std::string& what) {
  if (::setsockopt(fd.get(), level, name, value, length) != 0) {
    throw SystemError::perror_style(what, errno);
  }
}

void set_int_option(const Fd& fd, int level, int name, int value, const std::string& what) {
  set_socket_option(fd, level, name, &value, sizeof(value), what);
}

uint16_t local_port(const Fd& fd) {
  SocketAddress address;
  address.length = sizeof(address.storage);
  if (::getsockname(fd.get(), address.get(), &address.length) != 0) {
    throw SystemError::perror_style("getsockname", errno);
  }
  return address.port();
}

}  // namespace mcr::tools
