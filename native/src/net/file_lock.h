// An exclusive advisory lock on an open file (flock(2)): the kernel drops it when the last
// descriptor of that open file closes, so a holder that dies (kill -9, power loss) never leaves it held.
#pragma once

namespace mcr {

// Takes an exclusive flock on `fd` without waiting: true when this open file now holds it, false
// when another open file of the same file holds it. Any other failure throws SystemError.
bool try_lock_exclusive(int fd);

}  // namespace mcr
