// mcrgen: sends numbered, timestamped UDP test datagrams (the MCR payload, optionally behind an
// RTP header, optionally as MPEG-TS packets) at a paced rate to a multicast group or unicast host, or to two (the A and
// B legs of a redundant feed, each with its own delay and losses); the instrument for MCR's end-to-end tests and
// benchmarks.
#include <sys/random.h>
#include <unistd.h>

#include <cstdio>
#include <random>
#include <vector>

#include "common/errors.h"
#include "common/gen_options.h"
#include "common/gen_report.h"
#include "common/send_loop.h"
#include "common/sender_socket.h"
#include "common/stop_signal.h"

namespace {

using namespace mcr::tools;

uint32_t random_stream_id() {
  uint32_t id = 0;
  if (getrandom(&id, sizeof(id), 0) == static_cast<ssize_t>(sizeof(id))) return id;
  return std::random_device{}();
}

int run(int argc, char** argv) {
  const GenOptions options = parse_gen_options(argc - 1, argv + 1);
  if (options.help) {
    std::fputs(kGenUsage, stdout);
    return kExitOk;
  }
  const uint32_t stream_id = options.stream_id.value_or(random_stream_id());
  install_stop_signal_handlers();
  const mcr::Fd socket = open_sender(options);
  mcr::Fd socket_b;
  std::vector<int> fds{socket.get()};
  if (options.destination_b) {
    GenOptions leg_b = options;  // the same socket settings, towards the B destination
    leg_b.destination = *options.destination_b;
    leg_b.interface = options.interface_b;
    socket_b = open_sender(leg_b);
    fds.push_back(socket_b.get());
  }
  SendLoop loop(fds, options, stream_id);
  const SendResult result = loop.run();
  if (options.json) {
    std::fputs(format_gen_json(result, options, stream_id).c_str(), stdout);
  } else {
    std::fputs(format_gen_text(result, options, stream_id).c_str(), stderr);
  }
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  return mcr::tools::run_tool("mcrgen", argc, argv, run);
}
