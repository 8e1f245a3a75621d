// mcrgen's send loop: paced sendmmsg() bursts from preallocated buffers, the headers rewritten
// in place just before each burst; one leg, or two (A/B) with their own delay and losses. With
// --gso a burst leaves as UDP GSO super-datagrams instead of one message per datagram.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstdint>
#include <map>
#include <vector>

#include "common/gen_options.h"
#include "common/loss_plan.h"
#include "common/pacer.h"
#include "common/ts_packetizer.h"

namespace mcr::tools {

struct LegResult {
  uint64_t sent = 0;     // datagrams the kernel accepted on this leg
  uint64_t dropped = 0;  // left out by the leg's loss pattern
};

struct SendResult {
  uint64_t sent = 0;         // datagrams the kernel accepted (all legs)
  uint64_t bytes = 0;        // their payload bytes
  uint64_t send_errors = 0;  // datagrams dropped because sendmmsg() failed on them
  std::map<int, uint64_t> errors_by_errno;
  int64_t elapsed_ns = 0;  // first burst to the end of the last one
  uint64_t first_seq = 0;
  uint64_t next_seq = 0;        // sequence the next datagram would have had
  std::vector<LegResult> legs;  // per leg: A, then B with --group-b
};

class SendLoop {
 public:
  // `fds`: the A leg's socket, then the B leg's with --group-b.
  SendLoop(std::vector<int> fds, const GenOptions& options, uint32_t stream_id);
  SendLoop(const SendLoop&) = delete;
  SendLoop& operator=(const SendLoop&) = delete;

  // Runs until --count / --duration is reached or SIGINT/SIGTERM; throws SystemError only for
  // failures of the clock itself (send failures are counted, not fatal).
  SendResult run();

 private:
  struct Leg {
    int fd;
    int64_t delay_ns;
    int64_t jitter_ns;  // extra delay of the odd-numbered datagrams
    LossPlan loss;
    uint64_t index = 0;              // the next datagram this leg considers
    std::vector<std::byte> buffers;  // batch x size, filler written once
    std::vector<iovec> iovecs;
    std::vector<mmsghdr> messages;
    std::vector<uint64_t> message_index;  // the datagram each message of the burst carries
    // --gso: one message per group of datagrams, its UDP_SEGMENT control, its datagram count.
    std::vector<mmsghdr> gso_messages;
    std::vector<std::byte> gso_control;
    std::vector<unsigned> gso_datagrams;
  };

  uint64_t datagram_limit() const;
  // The leg's schedule: datagram `index` is due this long after the start (delay and jitter in).
  int64_t due_at_ns(const Leg& leg, uint64_t index) const;
  // How many of the leg's datagrams are due `since_start_ns` after the start.
  uint64_t due_by(const Leg& leg, int64_t since_start_ns) const;
  // Stamps carry the scheduled time (A/B legs, jitter) rather than the time of sending.
  bool scheduled_stamps() const;
  void stamp(Leg& leg, unsigned message, uint64_t index) const;
  void send_burst(Leg& leg, unsigned burst, SendResult& result, LegResult& leg_result);
  // Sends the burst's first `datagrams` messages as GSO groups; sendmmsg()'s contract in
  // datagrams: how many the kernel took, or -1 with errno when it took none.
  int send_segmented(Leg& leg, unsigned datagrams) const;

  const GenOptions& options_;
  uint32_t stream_id_;
  Pacer pacer_;
  TsPacketizer ts_;  // with --ts
  std::vector<Leg> legs_;
  int64_t start_ns_ = 0;       // CLOCK_MONOTONIC at the first burst
  int64_t start_unix_ns_ = 0;  // CLOCK_REALTIME then: A/B legs stamp scheduled times from it
};

}  // namespace mcr::tools
