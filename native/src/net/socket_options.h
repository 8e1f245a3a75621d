// setsockopt helpers for the engine's ingress and output sockets: every failure becomes a
// SystemError naming the spec field and the option, so callers stay one line per option.
#pragma once

#include <sys/socket.h>

#include <string>

#include "net/fd.h"

namespace mcr {

// setsockopt(fd, level, name, &value, sizeof(value)), or SystemError(field, errno, "cannot set <what>").
template <typename Value>
void set_option(const Fd& fd, int level, int name, const Value& value, const std::string& field,
                const std::string& what);

// Opens a non-blocking or blocking UDP socket of `family`; SystemError(field, ...) on failure.
Fd open_udp_socket(int family, bool non_blocking, const std::string& field);

// Asks for `bytes` with the *BUFFORCE option (root may exceed net.core.*mem_max), falls back to
// the plain option, and returns the size the kernel really granted (getsockopt).
int set_buffer_size(const Fd& fd, int force_option, int option, int bytes, const std::string& field);

// Integer getsockopt; -1 when the kernel refuses.
int get_int_option(const Fd& fd, int level, int name);

}  // namespace mcr
