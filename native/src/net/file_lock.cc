// flock(2) rather than fcntl(2) record locks: a POSIX record lock belongs to the process and is
// dropped when *any* of its descriptors of the file closes; a flock belongs to one open file.
#include "net/file_lock.h"

#include <sys/file.h>

#include <cerrno>
#include <string>

#include "net/system_error.h"

namespace mcr {

bool try_lock_exclusive(int fd) {
  for (;;) {
    if (flock(fd, LOCK_EX | LOCK_NB) == 0) return true;
    if (errno == EWOULDBLOCK) return false;
    if (errno != EINTR) throw SystemError("", errno, "flock(LOCK_EX) on descriptor " + std::to_string(fd));
  }
}

}  // namespace mcr
