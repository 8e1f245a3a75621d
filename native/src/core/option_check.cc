// The contract's option ranges applied to EngineOptions; also asserts, at compile time, that the
// contract's limits are the system's where one sets them.
#include "core/option_check.h"

#include <sched.h>
#include <sys/uio.h>

namespace mcr {

namespace {

namespace limits = contract::option;

static_assert(limits::cpus.max == CPU_SETSIZE - 1, "cpu_set_t holds CPUs 0..CPU_SETSIZE-1");
static_assert(limits::batch_size.max == UIO_MAXIOV, "recvmmsg/sendmmsg take at most UIO_MAXIOV messages");
static_assert(limits::buffer_size.max == 65535, "the largest UDP payload fits in 65535 bytes");

}  // namespace

std::string integer_rule(int64_t min, int64_t max) {
  return "an integer " + std::to_string(min) + ".." + std::to_string(max);
}

void check_option(const contract::IntegerOption& option, int64_t value) {
  if (value < option.min || value > option.max) {
    refuse_value(ErrorCode::invalid_option, option.name, std::to_string(value), integer_rule(option.min, option.max));
  }
}

void check_option_element(const contract::IntegerListOption& option, size_t index, int64_t value) {
  if (value < option.min || value > option.max) {
    refuse_value(ErrorCode::invalid_option, std::string(option.name) + "[" + std::to_string(index) + "]",
                 std::to_string(value), integer_rule(option.min, option.max));
  }
}

void check_option(const contract::ChoiceOption& option, const std::string& value) {
  std::string rule = "one of";
  for (size_t i = 0; i < option.count; ++i) {
    if (value == option.choices[i]) return;
    rule += std::string(i == 0 ? " " : ", ") + "\"" + option.choices[i] + "\"";
  }
  refuse_text(ErrorCode::invalid_option, option.name, value, rule);
}

void check_options(const EngineOptions& options) {
  check_option(limits::workers, options.workers);
  check_option(limits::batch_size, options.batch_size);
  check_option(limits::buffer_size, options.buffer_size);
  check_option(limits::socket_buffer_bytes, options.socket_buffer_bytes);
  for (size_t i = 0; i < options.cpus.size(); ++i) check_option_element(limits::cpus, i, options.cpus[i]);
  check_option(limits::realtime_priority, options.realtime_priority);
  check_option(limits::busy_poll_us, options.busy_poll_us);
  check_option(limits::datapath, options.datapath);
  // Not a contract option: only the core's own tests shorten it.
  if (options.gso_mtu_recheck_ns <= 0) {
    refuse_value(ErrorCode::invalid_option, "gsoMtuRecheckNs", std::to_string(options.gso_mtu_recheck_ns),
                 "a positive interval in nanoseconds");
  }
}

}  // namespace mcr
