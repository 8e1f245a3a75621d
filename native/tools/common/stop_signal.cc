// The stop flag and its async-signal-safe handler.
#include "common/stop_signal.h"

#include <signal.h>

#include <atomic>
#include <cerrno>

#include "net/system_error.h"

namespace mcr::tools {
namespace {

std::atomic<bool> g_stop_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");

void on_stop_signal(int) {
  g_stop_requested.store(true, std::memory_order_relaxed);
}

}  // namespace

void install_stop_signal_handlers() {
  struct sigaction action {};
  action.sa_handler = on_stop_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = 0;  // no SA_RESTART: recvmmsg/clock_nanosleep return EINTR
  for (const int signal_number : {SIGINT, SIGTERM}) {
    if (sigaction(signal_number, &action, nullptr) != 0) {
      throw SystemError::perror_style("sigaction", errno);
    }
  }
}

bool stop_requested() {
  return g_stop_requested.load(std::memory_order_relaxed);
}

}  // namespace mcr::tools
