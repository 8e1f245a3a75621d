// End-to-end check of the built mcrgen and mcrsink binaries on 127.0.0.1 unicast: counts,
// loss and duplicates as reported by the tools themselves, raw mode, exit codes and signals.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tool_process.h"

namespace mcr::tools::test {
namespace {

using std::chrono::milliseconds;

constexpr milliseconds kToolTimeout{30'000};

// Starts a unicast sink on a free loopback port and waits for its ready file.
class LoopbackSink {
 public:
  LoopbackSink(const TempDir& dir, std::vector<std::string> extra)
      : ready_file_(dir.path() / "sink.ready"), process_("mcrsink", args(extra), dir) {
    const auto deadline = std::chrono::steady_clock::now() + milliseconds(5000);
    while (!std::filesystem::exists(ready_file_)) {
      if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("mcrsink never became ready");
      std::this_thread::sleep_for(milliseconds(5));
    }
    port_ = static_cast<int>(json_number(read_text(ready_file_), "port"));
  }
  std::string port() const { return std::to_string(port_); }
  ToolProcess& process() { return process_; }

 private:
  std::vector<std::string> args(std::vector<std::string> extra) const {
    std::vector<std::string> all = {"--group", "127.0.0.1",  "--port", "0", "--ready-file", ready_file_.string(),
                                    "--json",  "--duration", "25"};
    all.insert(all.end(), extra.begin(), extra.end());
    return all;
  }

  std::filesystem::path ready_file_;
  ToolProcess process_;
  int port_ = 0;
};

ToolResult run_gen(const TempDir& dir, std::vector<std::string> args) {
  ToolProcess gen("mcrgen", args, dir);
  return gen.wait(kToolTimeout);
}

TEST(ToolsLoopback, TwentyThousandDatagramsArriveCompleteAndInOrder) {
  TempDir dir;
  LoopbackSink sink(dir, {"--count", "20000", "--idle-timeout", "3000"});
  const auto gen =
      run_gen(dir, {"--group", "127.0.0.1", "--port", sink.port(), "--rate", "20000", "--count", "20000", "--json"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_EQ(json_number(gen.out, "sent"), 20000);
  EXPECT_EQ(json_number(gen.out, "send_errors"), 0);
  // Paced at 20k pps: 20000 datagrams take one second (the last is due at 0.99995 s).
  EXPECT_GT(json_number(gen.out, "elapsed_s"), 0.95);
  EXPECT_LT(json_number(gen.out, "elapsed_s"), 3.0);

  const auto report = sink.process().wait(kToolTimeout);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(json_number(report.out, "received"), 20000) << report.out;
  EXPECT_EQ(json_number(report.out, "lost"), 0) << report.out;
  EXPECT_EQ(json_number(report.out, "duplicates"), 0) << report.out;
  EXPECT_EQ(json_number(report.out, "non_mcr"), 0) << report.out;
  EXPECT_EQ(json_number(report.out, "bytes"), 20000 * 64) << report.out;
  EXPECT_EQ(json_number(report.out, "last_seq"), 19999) << report.out;
  EXPECT_EQ(json_number(report.out, "stream_id"), json_number(gen.out, "stream_id")) << report.out;
  EXPECT_NE(report.out.find(R"("stop_reason":"count")"), std::string::npos) << report.out;
  EXPECT_EQ(json_number(report.out, "samples"), 20000) << report.out;
}

// One GSO send carries a whole burst; the kernel hands the sink one datagram per segment (UDP
// segments a GSO packet for a socket without UDP_GRO), each with its own header and sequence.
TEST(ToolsLoopback, GsoBurstsArriveAsSeparateNumberedDatagrams) {
  TempDir dir;
  LoopbackSink sink(dir, {"--count", "20000", "--idle-timeout", "3000"});
  const auto gen = run_gen(dir, {"--group", "127.0.0.1", "--port", sink.port(), "--rate", "50000", "--count", "20000",
                                 "--size", "1000", "--batch", "100", "--gso", "--json"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_EQ(json_number(gen.out, "sent"), 20000);
  EXPECT_EQ(json_number(gen.out, "send_errors"), 0);

  const auto report = sink.process().wait(kToolTimeout);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(json_number(report.out, "received"), 20000) << report.out;
  EXPECT_EQ(json_number(report.out, "lost"), 0) << report.out;
  EXPECT_EQ(json_number(report.out, "duplicates"), 0) << report.out;
  EXPECT_EQ(json_number(report.out, "reordered"), 0) << report.out;
  EXPECT_EQ(json_number(report.out, "bytes"), 20000 * 1000) << report.out;
  EXPECT_EQ(json_number(report.out, "last_seq"), 19999) << report.out;
}

TEST(ToolsLoopback, RawZeroByteDatagramsAreCounted) {
  TempDir dir;
  LoopbackSink sink(dir, {"--raw", "--count", "2000", "--idle-timeout", "3000"});
  const auto gen = run_gen(dir, {"--group", "127.0.0.1", "--port", sink.port(), "--raw", "--size", "0", "--rate",
                                 "20000", "--count", "2000", "--json"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  EXPECT_EQ(json_number(gen.out, "sent"), 2000);
  const auto report = sink.process().wait(kToolTimeout);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(json_number(report.out, "received"), 2000) << report.out;
  EXPECT_EQ(json_number(report.out, "bytes"), 0) << report.out;
  EXPECT_NE(report.out.find(R"("raw":true)"), std::string::npos) << report.out;
}

TEST(ToolsLoopback, RawDatagramsAreNonMcrForAHeaderSink) {
  TempDir dir;
  LoopbackSink sink(dir, {"--count", "500", "--idle-timeout", "3000"});
  const auto gen = run_gen(dir, {"--group", "127.0.0.1", "--port", sink.port(), "--raw", "--size", "8", "--rate",
                                 "20000", "--count", "500"});
  ASSERT_EQ(gen.exit_code, 0) << gen.err;
  const auto report = sink.process().wait(kToolTimeout);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_EQ(json_number(report.out, "received"), 500) << report.out;
  EXPECT_EQ(json_number(report.out, "non_mcr"), 500) << report.out;
  EXPECT_NE(report.out.find(R"("streams":[])"), std::string::npos) << report.out;
}

// A stopped sink with a tiny buffer overflows; the datagrams it still receives afterwards carry
// the socket's drop count (SO_RXQ_OVFL), which must explain every lost datagram on loopback.
TEST(ToolsLoopback, SinkKernelDropsAreReportedApartFromLoss) {
  TempDir dir;
  LoopbackSink sink(dir, {"--rcvbuf", "4096", "--idle-timeout", "1000"});
  sink.process().send_signal(SIGSTOP);
  const std::vector<std::string> target = {"--group", "127.0.0.1", "--port", sink.port(), "--stream-id", "5"};
  auto burst = target;
  burst.insert(burst.end(), {"--count", "1000", "--rate", "0"});
  ASSERT_EQ(run_gen(dir, burst).exit_code, 0);
  sink.process().send_signal(SIGCONT);
  std::this_thread::sleep_for(milliseconds(200));  // the sink drains what its buffer kept
  auto tail = target;
  tail.insert(tail.end(), {"--count", "10", "--start-seq", "1000", "--rate", "1000"});
  ASSERT_EQ(run_gen(dir, tail).exit_code, 0);

  const auto report = sink.process().wait(kToolTimeout);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  const double lost = json_number(report.out, "lost");
  EXPECT_GT(lost, 500) << report.out;
  EXPECT_EQ(json_number(report.out, "kernel_drops"), lost) << report.out;
  EXPECT_EQ(json_number(report.out, "received") + lost, 1010) << report.out;
}

TEST(ToolsLoopback, SigtermStopsTheSinkWithAReport) {
  TempDir dir;
  LoopbackSink sink(dir, {"--expect", "10"});
  sink.process().send_signal(SIGTERM);
  const auto report = sink.process().wait(kToolTimeout);
  ASSERT_EQ(report.exit_code, 0) << report.err;
  EXPECT_NE(report.out.find(R"("stop_reason":"signal")"), std::string::npos) << report.out;
  EXPECT_EQ(json_number(report.out, "lost"), 10) << report.out;
}

TEST(ToolsLoopback, UsageErrorsExitTwoAndNameTheFlag) {
  TempDir dir;
  const auto gen = run_gen(dir, {"--group", "127.0.0.1", "--port", "5000", "--rate", "fast"});
  EXPECT_EQ(gen.exit_code, 2);
  EXPECT_NE(gen.err.find("--rate"), std::string::npos) << gen.err;
  ToolProcess sink("mcrsink", {"--group", "127.0.0.1", "--port", "5000", "--interface", "no-such-if0"}, dir);
  const auto report = sink.wait(kToolTimeout);
  EXPECT_EQ(report.exit_code, 2);
  EXPECT_NE(report.err.find("no-such-if0"), std::string::npos) << report.err;
}

TEST(ToolsLoopback, SystemErrorsExitOneWithErrnoText) {
  TempDir dir;
  // 192.0.2.1 (TEST-NET-1) is not a local address: bind fails, no datagram is ever sent.
  ToolProcess sink("mcrsink", {"--group", "192.0.2.1", "--port", "5000"}, dir);
  const auto report = sink.wait(kToolTimeout);
  EXPECT_EQ(report.exit_code, 1);
  EXPECT_NE(report.err.find("192.0.2.1"), std::string::npos) << report.err;
  EXPECT_NE(report.err.find("Cannot assign requested address"), std::string::npos) << report.err;
}

TEST(ToolsLoopback, HelpDescribesTheJsonReport) {
  TempDir dir;
  ToolProcess sink("mcrsink", {"--help"}, dir);
  const auto help = sink.wait(kToolTimeout);
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("kernel_drops"), std::string::npos);
  EXPECT_NE(help.out.find("example:"), std::string::npos);
  const auto gen_help = run_gen(dir, {"--help"});
  EXPECT_EQ(gen_help.exit_code, 0);
  EXPECT_NE(gen_help.out.find("example:"), std::string::npos);
}

}  // namespace
}  // namespace mcr::tools::test
