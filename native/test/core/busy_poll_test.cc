// Busy polling (EngineOptions::busy_poll_us): forwarding and commands work while a worker polls
// instead of sleeping, the worker sleeps again once the window after the last datagram closes,
// and out-of-range values are refused naming the option.
#include <sys/resource.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <thread>

#include "core/engine.h"
#include "loopback.h"

namespace mcr {
namespace {

using namespace mcr::test;
using namespace std::chrono_literals;

EngineOptions busy_polling_options(unsigned busy_poll_us) {
  EngineOptions options = small_engine_options();
  options.busy_poll_us = busy_poll_us;
  return options;
}

// CPU time (user + system) of the whole process so far.
std::chrono::microseconds process_cpu_time() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  const auto micros = [](const timeval& t) { return int64_t{t.tv_sec} * 1'000'000 + t.tv_usec; };
  return std::chrono::microseconds(micros(usage.ru_utime) + micros(usage.ru_stime));
}

TEST(EngineBusyPoll, ForwardsCompleteAndInOrderWhileTheWorkerPolls) {
  Engine engine(busy_polling_options(50'000));
  Receiver out;
  const uint16_t ingress = free_port();
  const std::string id = engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  send_paced(sender, ingress, 0, 10'000, out);
  ASSERT_TRUE(out.wait_for(10'000));
  EXPECT_EQ(sequences(out.received()), range(0, 10'000));
  EXPECT_EQ(engine.stats(id)->outputs.at(0).packets, 10'000u);
}

TEST(EngineBusyPoll, CommandsAndCloseAreServedInsideThePollingWindow) {
  Engine engine(busy_polling_options(1'000'000));  // a one-second window: still polling below
  Receiver first_out;
  Receiver second_out;
  const uint16_t first = free_port();
  const uint16_t second = free_port();
  const std::string first_id = engine.add_relay(loopback_relay(first, {first_out.port()}));
  Sender sender;
  send_paced(sender, first, 0, 100, first_out);
  ASSERT_TRUE(first_out.wait_for(100));
  const auto started = std::chrono::steady_clock::now();
  engine.add_relay(loopback_relay(second, {second_out.port()}));
  engine.remove_relay(first_id);
  send_paced(sender, second, 0, 100, second_out);
  ASSERT_TRUE(second_out.wait_for(100));
  engine.close();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 500ms);
}

TEST(EngineBusyPoll, TheWorkerSleepsAgainOnceTheWindowAfterTheLastDatagramCloses) {
  Engine engine(busy_polling_options(20'000));
  Receiver out;
  const uint16_t ingress = free_port();
  engine.add_relay(loopback_relay(ingress, {out.port()}));
  Sender sender;
  send_paced(sender, ingress, 0, 100, out);
  ASSERT_TRUE(out.wait_for(100));
  std::this_thread::sleep_for(100ms);  // the 20 ms window has closed
  const auto cpu_before = process_cpu_time();
  std::this_thread::sleep_for(300ms);
  // A polling worker would have used ~300 ms of CPU; a sleeping one uses next to nothing.
  EXPECT_LT(process_cpu_time() - cpu_before, 60ms);
}

TEST(EngineBusyPoll, RefusesAWindowAboveOneSecondNamingTheOption) {
  try {
    Engine engine(busy_polling_options(1'000'001));
    ADD_FAILURE() << "accepted busy_poll_us 1000001";
  } catch (const EngineError& error) {
    EXPECT_STREQ(error.what(), "busyPollUs: must be an integer 0..1000000, got 1000001");
  }
}

}  // namespace
}  // namespace mcr
