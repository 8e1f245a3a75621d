// mcrgen's send loop: paced sendmmsg() bursts from preallocated buffers, the header rewritten
// in place just before each burst.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstdint>
#include <map>
#include <vector>

#include "common/gen_options.h"
#include "common/pacer.h"

namespace mcr::tools {

struct SendResult {
  uint64_t sent = 0;         // datagrams the kernel accepted
  uint64_t bytes = 0;        // their payload bytes
  uint64_t send_errors = 0;  // datagrams dropped because sendmmsg() failed on them
  std::map<int, uint64_t> errors_by_errno;
  int64_t elapsed_ns = 0;  // first burst to the end of the last one
  uint64_t first_seq = 0;
  uint64_t next_seq = 0;  // sequence the next datagram would have had
};

class SendLoop {
 public:
  SendLoop(int fd, const GenOptions& options, uint32_t stream_id);
  SendLoop(const SendLoop&) = delete;
  SendLoop& operator=(const SendLoop&) = delete;

  // Runs until --count / --duration is reached or SIGINT/SIGTERM; throws SystemError only for
  // failures of the clock itself (send failures are counted, not fatal).
  SendResult run();

 private:
  uint64_t datagram_limit() const;
  void stamp_headers(uint64_t first_index, unsigned burst);
  void send_burst(unsigned burst, uint64_t& index, SendResult& result);

  int fd_;
  const GenOptions& options_;
  uint32_t stream_id_;
  Pacer pacer_;
  std::vector<std::byte> buffers_;  // batch x size, filler written once
  std::vector<iovec> iovecs_;
  std::vector<mmsghdr> messages_;
};

}  // namespace mcr::tools
