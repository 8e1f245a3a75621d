// mcrsink's readiness signal for scripts: a small JSON file written atomically (write + rename)
// once the socket is bound and joined, so a reader never sees it half-written.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>

namespace mcr::tools {

// Writes {"pid":<pid>,"port":<port>} to path; throws SystemError naming the path on failure.
void write_ready_file(const std::string& path, pid_t pid, uint16_t port);

}  // namespace mcr::tools
