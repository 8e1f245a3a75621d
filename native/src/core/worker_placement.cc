// pthread_setaffinity_np / pthread_setschedparam for one worker thread, with errors naming the option.
#include "core/worker_placement.h"

#include <sched.h>

#include <string>

namespace mcr {

namespace {

void pin(pthread_t thread, const std::vector<unsigned>& cpus, unsigned worker_index) {
  const size_t choice = worker_index % cpus.size();
  const unsigned cpu = cpus[choice];
  cpu_set_t set;
  CPU_ZERO(&set);
  CPU_SET(cpu, &set);
  const int err = pthread_setaffinity_np(thread, sizeof(set), &set);
  if (err != 0) {
    throw SystemError(std::string(contract::option::cpus.name) + "[" + std::to_string(choice) + "]", err,
                      "cannot pin worker " + std::to_string(worker_index) + " to CPU " + std::to_string(cpu) +
                          " (is that CPU online and in the process's allowed set?)");
  }
}

void prioritise(pthread_t thread, int priority, unsigned worker_index) {
  sched_param param{};
  param.sched_priority = priority;
  const int err = pthread_setschedparam(thread, SCHED_FIFO, &param);
  if (err != 0) {
    throw SystemError(contract::option::realtime_priority.name, err,
                      "cannot give worker " + std::to_string(worker_index) + " SCHED_FIFO priority " +
                          std::to_string(priority) + " (needs CAP_SYS_NICE or a high enough RLIMIT_RTPRIO)");
  }
}

}  // namespace

void place_worker_thread(pthread_t thread, const EngineOptions& options, unsigned worker_index) {
  if (!options.cpus.empty()) pin(thread, options.cpus, worker_index);
  if (options.realtime_priority > 0) prioritise(thread, options.realtime_priority, worker_index);
}

}  // namespace mcr
