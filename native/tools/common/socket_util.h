// Small socket helpers shared by the sender and receiver set-up: create a UDP socket, set an
// option with an error that says which option and why, read the bound port.
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

#include "common/unique_fd.h"

namespace mcr::tools {

UniqueFd open_udp_socket(int family);

// Throws SystemError("<what>: <errno text>").
void set_socket_option(int fd, int level, int name, const void* value, socklen_t length,
                       const std::string& what);
void set_int_option(int fd, int level, int name, int value, const std::string& what);

uint16_t local_port(int fd);

}  // namespace mcr::tools
