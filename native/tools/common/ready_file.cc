// Atomic ready-file write: temporary file in the same directory, then rename().
#include "common/ready_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>

#include "net/fd.h"
#include "net/system_error.h"

namespace mcr::tools {

void write_ready_file(const std::string& path, pid_t pid, uint16_t port) {
  const std::string temporary = path + ".tmp." + std::to_string(pid);
  char content[96];
  const int length = std::snprintf(content, sizeof(content), "{\"pid\":%d,\"port\":%u}\n", static_cast<int>(pid),
                                   static_cast<unsigned>(port));
  {
    Fd fd(::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644));
    if (!fd) throw SystemError::perror_style("--ready-file: cannot create " + temporary, errno);
    if (::write(fd.get(), content, static_cast<std::size_t>(length)) != length) {
      const int error = errno;
      ::unlink(temporary.c_str());
      throw SystemError::perror_style("--ready-file: cannot write " + temporary, error);
    }
  }
  if (::rename(temporary.c_str(), path.c_str()) != 0) {
    const int error = errno;
    ::unlink(temporary.c_str());
    throw SystemError::perror_style("--ready-file: cannot rename " + temporary + " to " + path, error);
  }
}

}  // namespace mcr::tools
