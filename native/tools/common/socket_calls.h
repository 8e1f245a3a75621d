// The socket calls mcrgen and mcrsink make while setting up, each failure worded like the rest of
// the tools' messages, perror(3)'s "<what>: <errno text>" (the engine's set_option names a spec
// field instead, for the REST API).
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "net/fd.h"

namespace mcr::tools {

// A blocking UDP socket; SystemError("socket(AF_INET6, SOCK_DGRAM): <errno text>").
Fd open_tool_socket(int family);

// Throws SystemError("<what>: <errno text>").
void set_socket_option(const Fd& fd, int level, int name, const void* value, socklen_t length, const std::string& what);
void set_int_option(const Fd& fd, int level, int name, int value, const std::string& what);

// The port the socket is bound to (the kernel's choice after binding port 0).
uint16_t local_port(const Fd& fd);

}  // namespace mcr::tools
