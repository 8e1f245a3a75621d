// Linked only into the portable prebuilds (MCR_PORTABLE): keeps the static C++ runtime from
// raising the glibc floor. GCC 12's libstdc++.a (std::random_device, pulled in by the
// exception classes' string code) calls arc4random, which glibc only has since 2.36; this
// hidden definition satisfies it at link time from getrandom (glibc 2.25), so the binaries
// run on glibc 2.34 systems (Ubuntu 22.04, RHEL 9) as well. MCR itself never calls it.
#include <sys/random.h>
#include <sys/types.h>

#include <cerrno>
#include <cstdint>

extern "C" __attribute__((visibility("hidden"))) uint32_t arc4random(void) {
  uint32_t value = 0;
  // getrandom() with a 4-byte request never returns short once the pool is initialised;
  // retry on EINTR only, as glibc's own arc4random does.
  while (getrandom(&value, sizeof value, 0) != static_cast<ssize_t>(sizeof value)) {
    if (errno != EINTR) break;
  }
  return value;
}
