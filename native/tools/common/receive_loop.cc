// The receive loop. Order of work: check stop, receive a batch (blocking at most the poll
// interval), account each datagram from its control messages, check count/duration/idle.
#include "common/receive_loop.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "common/stop_signal.h"
#include "net/clock.h"
#include "net/system_error.h"

namespace mcr::tools {
namespace {

struct ControlInfo {
  bool has_timestamp = false;
  int64_t kernel_time_ns = 0;
  bool has_drops = false;
  uint32_t drops = 0;
};

ControlInfo read_control(msghdr& header) {
  ControlInfo info;
  for (cmsghdr* c = CMSG_FIRSTHDR(&header); c != nullptr; c = CMSG_NXTHDR(&header, c)) {
    if (c->cmsg_level != SOL_SOCKET) continue;
    if (c->cmsg_type == SCM_TIMESTAMPNS) {
      timespec stamp{};
      std::memcpy(&stamp, CMSG_DATA(c), sizeof(stamp));
      info.has_timestamp = true;
      info.kernel_time_ns = timespec_to_ns(stamp);
    } else if (c->cmsg_type == SO_RXQ_OVFL) {
      std::memcpy(&info.drops, CMSG_DATA(c), sizeof(info.drops));
      info.has_drops = true;
    }
  }
  return info;
}

}  // namespace

ReceiveLoop::ReceiveLoop(int fd, const SinkOptions& options)
    : fd_(fd),
      options_(options),
      head_bytes_(options.ts ? kWholeDatagramBytes : kHeadBytes),
      heads_(head_bytes_ * options.batch),
      controls_(kControlBytes * options.batch),
      iovecs_(options.batch),
      messages_(options.batch) {
  for (unsigned i = 0; i < options.batch; ++i) {
    iovecs_[i] = iovec{heads_.data() + i * head_bytes_, head_bytes_};
    messages_[i] = mmsghdr{};
    messages_[i].msg_hdr.msg_iov = &iovecs_[i];
    messages_[i].msg_hdr.msg_iovlen = 1;
  }
}

unsigned ReceiveLoop::receive_batch() {
  for (unsigned i = 0; i < options_.batch; ++i) {
    // The kernel shrinks msg_controllen to what it wrote; give each message its full room back.
    messages_[i].msg_hdr.msg_control = controls_.data() + i * kControlBytes;
    messages_[i].msg_hdr.msg_controllen = kControlBytes;
  }
  // MSG_WAITFORONE: block (up to SO_RCVTIMEO) for the first datagram, then take what is queued.
  const int received = ::recvmmsg(fd_, messages_.data(), options_.batch, MSG_WAITFORONE | MSG_TRUNC, nullptr);
  if (received >= 0) return static_cast<unsigned>(received);
  if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) return 0;
  throw SystemError::perror_style("recvmmsg", errno);
}

void ReceiveLoop::account(unsigned received, SinkCounter& counter) {
  // Without a kernel timestamp (some paths scrub it), one clock read per batch stands in.
  const int64_t batch_time_ns = realtime_now_ns();
  for (unsigned i = 0; i < received; ++i) {
    mmsghdr& message = messages_[i];
    const ControlInfo control = read_control(message.msg_hdr);
    if (control.has_drops) counter.on_kernel_drops(control.drops);
    const std::size_t length = message.msg_len;
    const std::span<const std::byte> head(heads_.data() + i * head_bytes_, std::min(length, head_bytes_));
    counter.on_datagram(head, length, control.has_timestamp ? control.kernel_time_ns : batch_time_ns);
  }
}

StopReason ReceiveLoop::run(SinkCounter& counter) {
  const int64_t start_ns = monotonic_now_ns();
  int64_t last_arrival_ns = start_ns;
  while (!stop_requested()) {
    unsigned received = receive_batch();
    const int64_t now_ns = monotonic_now_ns();
    if (received > 0) {
      last_arrival_ns = now_ns;
      if (options_.count) {
        received = static_cast<unsigned>(std::min<uint64_t>(received, *options_.count - counter.totals().received));
      }
      account(received, counter);
      if (options_.count && counter.totals().received >= *options_.count) return StopReason::count;
    }
    if (options_.duration_ns && now_ns - start_ns >= *options_.duration_ns) {
      return StopReason::duration;
    }
    if (options_.idle_timeout_ns && counter.totals().received > 0 &&
        now_ns - last_arrival_ns >= *options_.idle_timeout_ns) {
      return StopReason::idle;
    }
  }
  return StopReason::signal;
}

}  // namespace mcr::tools
