// mcrsink: joins a multicast group (or listens on a unicast address), receives MCR test traffic
// and reports loss, duplicates, reordering, gaps, latency and sink-side kernel drops; with --rtp
// and --ts also the RTP and MPEG-TS analysis a relay makes of its input.
#include <unistd.h>

#include <cstdio>

#include "common/errors.h"
#include "common/ready_file.h"
#include "common/receive_loop.h"
#include "common/receiver_socket.h"
#include "common/sink_counter.h"
#include "common/sink_options.h"
#include "common/sink_report.h"
#include "common/socket_calls.h"
#include "common/stop_signal.h"

namespace {

using namespace mcr::tools;

int run(int argc, char** argv) {
  const SinkOptions options = parse_sink_options(argc - 1, argv + 1);
  if (options.help) {
    std::fputs(kSinkUsage, stdout);
    return kExitOk;
  }
  install_stop_signal_handlers();
  const mcr::Fd socket = open_receiver(options);
  if (!options.ready_file.empty()) {
    write_ready_file(options.ready_file, ::getpid(), local_port(socket));
  }
  SinkCounter counter(options.raw, options.start_seq, options.rtp, options.ts);
  ReceiveLoop loop(socket.get(), options);
  const StopReason reason = loop.run(counter);
  const SinkReport report = build_sink_report(counter, options.expect, reason);
  const std::string text = options.json ? format_sink_json(report) : format_sink_text(report);
  std::fputs(text.c_str(), stdout);
  return kExitOk;
}

}  // namespace

int main(int argc, char** argv) {
  return mcr::tools::run_tool("mcrsink", argc, argv, run);
}
