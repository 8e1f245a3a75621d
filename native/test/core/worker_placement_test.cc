// Worker placement: pinned round-robin to the CPUs asked for, SCHED_FIFO when asked, the
// process's own threads untouched, and refusals reported naming the option.
#include "core/worker_placement.h"

#include <dirent.h>
#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/engine.h"

namespace mcr {
namespace {

std::set<pid_t> threads_of_this_process() {
  std::set<pid_t> tids;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) throw std::runtime_error("cannot list /proc/self/task");
  while (const dirent* entry = readdir(dir)) {
    if (entry->d_name[0] != '.') tids.insert(static_cast<pid_t>(std::stoi(entry->d_name)));
  }
  closedir(dir);
  return tids;
}

std::vector<pid_t> new_threads(const std::set<pid_t>& before) {
  std::vector<pid_t> added;
  for (const pid_t tid : threads_of_this_process()) {
    if (before.count(tid) == 0) added.push_back(tid);
  }
  return added;
}

std::set<unsigned> affinity_of(pid_t tid) {
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(tid, sizeof(set), &set) != 0) return {};
  std::set<unsigned> cpus;
  for (unsigned cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(cpu, &set)) cpus.insert(cpu);
  }
  return cpus;
}

// The CPUs this process may run on, lowest first (the test machine may be restricted by taskset).
std::vector<unsigned> allowed_cpus() {
  const std::set<unsigned> cpus = affinity_of(0);
  return {cpus.begin(), cpus.end()};
}

TEST(EngineWorkerPlacement, WorkersArePinnedRoundRobinAndTheProcessIsNot) {
  const std::vector<unsigned> cpus = allowed_cpus();
  ASSERT_FALSE(cpus.empty());
  const std::set<unsigned> own_before = affinity_of(0);
  const std::set<pid_t> before = threads_of_this_process();
  EngineOptions options;
  options.workers = 3;
  options.cpus = {cpus.back(), cpus.front()};
  Engine engine(options);
  std::multiset<std::set<unsigned>> pinned;
  for (const pid_t tid : new_threads(before)) {
    const std::set<unsigned> affinity = affinity_of(tid);
    if (affinity.size() == 1) pinned.insert(affinity);
  }
  if (cpus.size() == 1) {
    EXPECT_GE(pinned.size(), 3u);  // every thread has the one CPU; nothing more to tell apart
  } else {
    // Workers 0 and 2 on cpus[0], worker 1 on cpus[1]; the interface monitor keeps the process's set.
    EXPECT_EQ(pinned.count({cpus.back()}), 2u);
    EXPECT_EQ(pinned.count({cpus.front()}), 1u);
    EXPECT_EQ(pinned.size(), 3u);
  }
  EXPECT_EQ(affinity_of(0), own_before);
}

TEST(EngineWorkerPlacement, RealtimePriorityMakesTheWorkersSchedFifo) {
  const std::set<pid_t> before = threads_of_this_process();
  EngineOptions options;
  options.workers = 2;
  options.realtime_priority = 10;
  Engine engine(options);
  unsigned fifo = 0;
  for (const pid_t tid : new_threads(before)) {
    if (sched_getscheduler(tid) != SCHED_FIFO) continue;
    sched_param param{};
    sched_getparam(tid, &param);
    EXPECT_EQ(param.sched_priority, 10);
    ++fifo;
  }
  EXPECT_EQ(fifo, 2u);
  EXPECT_EQ(sched_getscheduler(0), SCHED_OTHER);  // the calling thread is left as it was
}

TEST(EngineWorkerPlacement, DefaultsLeaveWorkersWithTheProcessAffinityAndScheduling) {
  const std::set<pid_t> before = threads_of_this_process();
  Engine engine(EngineOptions{});
  for (const pid_t tid : new_threads(before)) {
    EXPECT_EQ(affinity_of(tid), affinity_of(0)) << tid;
    EXPECT_EQ(sched_getscheduler(tid), SCHED_OTHER) << tid;
  }
}

TEST(EngineWorkerPlacement, ACpuTheProcessCannotUseIsASystemErrorNamingTheOption) {
  EngineOptions options;
  options.cpus = {CPU_SETSIZE - 1};  // in range, but no such CPU on this machine
  try {
    Engine engine(options);
    FAIL() << "expected a SystemError";
  } catch (const SystemError& error) {
    EXPECT_EQ(error.field(), "cpus[0]");
    EXPECT_EQ(error.error_code(), EINVAL);
    EXPECT_NE(std::string(error.what()).find("1023"), std::string::npos) << error.what();
  }
}

TEST(EngineWorkerPlacement, OutOfRangeOptionsAreRefusedBeforeAnyThreadStarts) {
  EngineOptions cpu;
  cpu.cpus = {0, CPU_SETSIZE};
  EXPECT_THROW(Engine{cpu}, EngineError);
  EngineOptions priority;
  priority.realtime_priority = 100;
  EXPECT_THROW(Engine{priority}, EngineError);
  priority.realtime_priority = -1;
  EXPECT_THROW(Engine{priority}, EngineError);
}

}  // namespace
}  // namespace mcr
