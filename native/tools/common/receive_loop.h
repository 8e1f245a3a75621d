// mcrsink's receive loop: recvmmsg() batches into preallocated buffers (only the header bytes
// are copied out of the kernel), one call per batch, until a stop condition holds.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <vector>

#include "common/sink_counter.h"
#include "common/sink_options.h"
#include "common/sink_report.h"

namespace mcr::tools {

class ReceiveLoop {
 public:
  // The kernel copies at most this much of each datagram: the header and a little more. With
  // MSG_TRUNC, recvmmsg still reports every datagram's full length for the byte count.
  static constexpr std::size_t kHeadBytes = 64;
  // With --ts every byte is checked: room for the largest UDP payload.
  static constexpr std::size_t kWholeDatagramBytes = 65536;
  // Room for SCM_TIMESTAMPNS (struct timespec) and SO_RXQ_OVFL (u32) control messages.
  static constexpr std::size_t kControlBytes = 128;

  ReceiveLoop(int fd, const SinkOptions& options);
  ReceiveLoop(const ReceiveLoop&) = delete;
  ReceiveLoop& operator=(const ReceiveLoop&) = delete;

  // Receives into counter until --count, --duration, --idle-timeout or SIGINT/SIGTERM.
  StopReason run(SinkCounter& counter);

 private:
  unsigned receive_batch();  // datagrams received; 0 on timeout or signal
  void account(unsigned received, SinkCounter& counter);

  int fd_;
  const SinkOptions& options_;
  std::size_t head_bytes_;           // kHeadBytes, or kWholeDatagramBytes with --ts
  std::vector<std::byte> heads_;     // batch x head_bytes_
  std::vector<std::byte> controls_;  // batch x kControlBytes
  std::vector<iovec> iovecs_;
  std::vector<mmsghdr> messages_;
};

}  // namespace mcr::tools
