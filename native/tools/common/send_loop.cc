// The paced send loop. Order of work per iteration: check stop, see how many datagrams are due,
// sleep until the next one when none is, stamp and send a burst, count errors in one place.
#include "common/send_loop.h"

#include <time.h>

#include <algorithm>
#include <cerrno>

#include "common/payload.h"
#include "common/stop_signal.h"
#include "net/clock.h"
#include "net/system_error.h"

namespace mcr::tools {
namespace {

// Sleeps until an absolute CLOCK_MONOTONIC time; an interrupting signal just ends the sleep.
void sleep_until(int64_t monotonic_deadline_ns) {
  const timespec deadline = ns_to_timespec(monotonic_deadline_ns);
  const int error = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr);
  if (error != 0 && error != EINTR) throw SystemError::perror_style("clock_nanosleep", error);
}

}  // namespace

SendLoop::SendLoop(int fd, const GenOptions& options, uint32_t stream_id)
    : fd_(fd),
      options_(options),
      stream_id_(stream_id),
      pacer_(options.rate_pps),
      buffers_(std::max<std::size_t>(options.size, 1) * options.batch),
      iovecs_(options.batch),
      messages_(options.batch) {
  const std::size_t stride = std::max<std::size_t>(options.size, 1);
  for (unsigned i = 0; i < options.batch; ++i) {
    std::span<std::byte> datagram(buffers_.data() + i * stride, options.size);
    fill_payload_filler(datagram);
    iovecs_[i] = iovec{datagram.data(), datagram.size()};
    messages_[i] = mmsghdr{};
    messages_[i].msg_hdr.msg_iov = &iovecs_[i];
    messages_[i].msg_hdr.msg_iovlen = 1;
  }
}

uint64_t SendLoop::datagram_limit() const {
  uint64_t limit = options_.count.value_or(Pacer::kUnlimited);
  if (options_.duration_ns && options_.rate_pps > 0) {
    limit = std::min(limit, pacer_.count_within(*options_.duration_ns));
  }
  return limit;
}

void SendLoop::stamp_headers(uint64_t first_index, unsigned burst) {
  if (options_.raw) return;
  PayloadHeader header;
  header.stream_id = stream_id_;
  header.send_time_ns = realtime_now_ns();
  for (unsigned i = 0; i < burst; ++i) {
    header.sequence = options_.start_seq + first_index + i;
    encode_payload_header(header, {static_cast<std::byte*>(iovecs_[i].iov_base), kPayloadHeaderBytes});
  }
}

void SendLoop::send_burst(unsigned burst, uint64_t& index, SendResult& result) {
  stamp_headers(index, burst);
  const int sent = ::sendmmsg(fd_, messages_.data(), burst, 0);
  if (sent > 0) {
    index += static_cast<uint64_t>(sent);
    result.sent += static_cast<uint64_t>(sent);
    result.bytes += static_cast<uint64_t>(sent) * options_.size;
    return;
  }
  if (sent < 0 && errno == EINTR) return;  // nothing sent; the loop re-checks the stop flag
  // The first datagram of the burst failed (e.g. ECONNREFUSED from an earlier ICMP error,
  // ENOBUFS): count it and move on, so its sequence number shows up as lost at the sink.
  ++result.send_errors;
  ++result.errors_by_errno[errno];
  ++index;
}

SendResult SendLoop::run() {
  SendResult result;
  result.first_seq = options_.start_seq;
  const uint64_t limit = datagram_limit();
  const int64_t start_ns = monotonic_now_ns();
  // Paced, --duration became an exact datagram count (datagram_limit); unpaced, it is a clock.
  const bool stop_on_clock = options_.duration_ns && options_.rate_pps == 0;
  const int64_t end_ns = options_.duration_ns ? start_ns + *options_.duration_ns : 0;
  uint64_t index = 0;
  while (index < limit && !stop_requested()) {
    const int64_t now_ns = monotonic_now_ns();
    if (stop_on_clock && now_ns >= end_ns) break;
    const uint64_t due = pacer_.due_by(now_ns - start_ns);
    if (due <= index) {
      sleep_until(start_ns + pacer_.due_at_ns(index));
      continue;
    }
    const auto burst = static_cast<unsigned>(std::min<uint64_t>({due - index, options_.batch, limit - index}));
    send_burst(burst, index, result);
  }
  result.elapsed_ns = monotonic_now_ns() - start_ns;
  result.next_seq = options_.start_seq + index;
  return result;
}

}  // namespace mcr::tools
