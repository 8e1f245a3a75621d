// Optional placement of a worker thread: CPU pinning and SCHED_FIFO priority, applied to that
// thread only (never to the process), so an operator's `taskset` on the process keeps working.
#pragma once

#include <pthread.h>

#include "core/engine.h"

namespace mcr {

// Pins `thread` (worker number `worker_index`) to options.cpus[worker_index % size] when cpus is
// set, and gives it SCHED_FIFO at options.realtime_priority when that is > 0. Throws SystemError
// naming the option as the caller spells it ("cpus[1]", "realtimePriority") when the kernel
// refuses (EINVAL: CPU not allowed or absent; EPERM: no CAP_SYS_NICE or RLIMIT_RTPRIO too low).
void place_worker_thread(pthread_t thread, const EngineOptions& options, unsigned worker_index);

}  // namespace mcr
