// The paced send loop. Order of work per iteration: check stop, see how many datagrams each leg
// has due, sleep until the next one when none is, stamp and send a burst per leg, count errors
// in one place.
#include "common/send_loop.h"

#include <netinet/udp.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "common/payload.h"
#include "common/rtp_header.h"
#include "common/stop_signal.h"
#include "net/clock.h"
#include "net/gso.h"
#include "net/system_error.h"

namespace mcr::tools {
namespace {

// Sleeps until an absolute CLOCK_MONOTONIC time; an interrupting signal just ends the sleep.
void sleep_until(int64_t monotonic_deadline_ns) {
  const timespec deadline = ns_to_timespec(monotonic_deadline_ns);
  const int error = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &deadline, nullptr);
  if (error != 0 && error != EINTR) throw SystemError::perror_style("clock_nanosleep", error);
}

constexpr std::size_t kGsoControlBytes = CMSG_SPACE(sizeof(uint16_t));

void set_segment_size(msghdr& header, std::byte* control, std::size_t segment_bytes) {
  header.msg_control = control;
  header.msg_controllen = kGsoControlBytes;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  cmsg->cmsg_level = SOL_UDP;
  cmsg->cmsg_type = UDP_SEGMENT;
  cmsg->cmsg_len = CMSG_LEN(sizeof(uint16_t));
  const auto segment = static_cast<uint16_t>(segment_bytes);
  std::memcpy(CMSG_DATA(cmsg), &segment, sizeof(segment));
}

}  // namespace

SendLoop::SendLoop(std::vector<int> fds, const GenOptions& options, uint32_t stream_id)
    : options_(options),
      stream_id_(stream_id),
      pacer_(options.rate_pps),
      ts_(options.ts ? options.ts_packets() : 1, options.ts_injection) {
  const std::size_t stride = std::max<std::size_t>(options.size, 1);
  for (size_t leg_number = 0; leg_number < fds.size(); ++leg_number) {
    const bool is_a = leg_number == 0;
    legs_.push_back(Leg{fds[leg_number], is_a ? options.delay_a_ns : options.delay_b_ns,
                        is_a ? options.jitter_a_ns : options.jitter_b_ns,
                        LossPlan(is_a ? options.loss_a : options.loss_b, options.loss_seed,
                                 is_a ? LossPlan::Side::low : LossPlan::Side::high),
                        0, std::vector<std::byte>(stride * options.batch), std::vector<iovec>(options.batch),
                        std::vector<mmsghdr>(options.batch), std::vector<uint64_t>(options.batch),
                        std::vector<mmsghdr>(options.gso ? options.batch : 0),
                        std::vector<std::byte>(options.gso ? options.batch * kGsoControlBytes : 0),
                        std::vector<unsigned>(options.gso ? options.batch : 0)});
    Leg& leg = legs_.back();
    for (unsigned i = 0; i < options.batch; ++i) {
      std::span<std::byte> datagram(leg.buffers.data() + i * stride, options.size);
      fill_payload_filler(datagram);
      if (options.ts) ts_.prepare(datagram.subspan(options.rtp_bytes()));
      leg.iovecs[i] = iovec{datagram.data(), datagram.size()};
      leg.messages[i] = mmsghdr{};
      leg.messages[i].msg_hdr.msg_iov = &leg.iovecs[i];
      leg.messages[i].msg_hdr.msg_iovlen = 1;
    }
  }
}

uint64_t SendLoop::datagram_limit() const {
  uint64_t limit = options_.count.value_or(Pacer::kUnlimited);
  if (options_.duration_ns && options_.rate_pps > 0) {
    limit = std::min(limit, pacer_.count_within(*options_.duration_ns));
  }
  return limit;
}

int64_t SendLoop::due_at_ns(const Leg& leg, uint64_t index) const {
  return leg.delay_ns + pacer_.due_at_ns(index) + (index % 2 == 1 ? leg.jitter_ns : 0);
}

// The jitter is below one interval, so only the last datagram the pacer has due can still wait.
uint64_t SendLoop::due_by(const Leg& leg, int64_t since_start_ns) const {
  const int64_t elapsed_ns = since_start_ns - leg.delay_ns;
  if (elapsed_ns < 0) return 0;
  const uint64_t due = pacer_.due_by(elapsed_ns);
  if (due > 0 && due != Pacer::kUnlimited && due_at_ns(leg, due - 1) > since_start_ns) return due - 1;
  return due;
}

bool SendLoop::scheduled_stamps() const {
  return legs_.size() > 1 || std::any_of(legs_.begin(), legs_.end(), [](const Leg& leg) { return leg.jitter_ns > 0; });
}

// One leg stamps the time it sends; A/B legs stamp the datagram's scheduled time, so both legs
// carry identical bytes whatever their delays (a payload-keyed merge needs that), and so does a
// leg with jitter, whose receiver must see the variation against the media clock.
void SendLoop::stamp(Leg& leg, unsigned message, uint64_t index) const {
  if (options_.raw) return;
  PayloadHeader header;
  header.stream_id = stream_id_;
  header.sequence = options_.start_seq + index;
  header.send_time_ns = scheduled_stamps() ? start_unix_ns_ + pacer_.due_at_ns(index) : realtime_now_ns();
  auto* datagram = static_cast<std::byte*>(leg.iovecs[message].iov_base);
  if (options_.rtp) {
    RtpFields rtp;
    rtp.sequence = static_cast<uint16_t>(header.sequence);
    rtp.timestamp = rtp_timestamp(header.send_time_ns);
    rtp.ssrc = stream_id_;
    if (options_.ts) rtp.payload_type = kRtpPayloadTypeMp2t;
    encode_rtp_header(rtp, {datagram, kRtpHeaderBytes});
  }
  if (options_.ts) {
    ts_.stamp({datagram + options_.rtp_bytes(), options_.size - options_.rtp_bytes()}, index, header.send_time_ns);
  }
  encode_payload_header(header, {datagram + options_.header_offset(), kPayloadHeaderBytes});
}

void SendLoop::send_burst(Leg& leg, unsigned burst, SendResult& result, LegResult& leg_result) {
  unsigned messages = 0;
  for (unsigned i = 0; i < burst; ++i) {
    const uint64_t index = leg.index + i;
    if (leg.loss.any() && leg.loss.drops(index, pacer_.due_at_ns(index))) {
      ++leg_result.dropped;
      continue;
    }
    stamp(leg, messages, index);
    leg.message_index[messages++] = index;
  }
  if (messages == 0) {
    leg.index += burst;
    return;
  }
  const int sent = options_.gso ? send_segmented(leg, messages) : ::sendmmsg(leg.fd, leg.messages.data(), messages, 0);
  if (sent > 0) {
    result.sent += static_cast<uint64_t>(sent);
    leg_result.sent += static_cast<uint64_t>(sent);
    result.bytes += static_cast<uint64_t>(sent) * options_.size;
    // A partial send resumes at the first message the kernel did not take.
    leg.index = static_cast<unsigned>(sent) == messages ? leg.index + burst : leg.message_index[sent];
    return;
  }
  if (sent < 0 && errno == EINTR) return;  // nothing sent; the loop re-checks the stop flag
  // The first datagram of the burst failed (e.g. ECONNREFUSED from an earlier ICMP error,
  // ENOBUFS): count it and move on, so its sequence number shows up as lost at the sink.
  ++result.send_errors;
  ++result.errors_by_errno[errno];
  leg.index = leg.message_index[0] + 1;
}

int SendLoop::send_segmented(Leg& leg, unsigned datagrams) const {
  unsigned groups = 0;
  for (unsigned first = 0; first < datagrams; ++groups) {
    // Every datagram has --size bytes, so a group ends only at the kernel's segment limits.
    const unsigned count = gso_group_size(&leg.iovecs[first], nullptr, datagrams - first, kGsoMaxPayloadBytes);
    mmsghdr& message = leg.gso_messages[groups];
    message = mmsghdr{};
    message.msg_hdr.msg_iov = &leg.iovecs[first];
    message.msg_hdr.msg_iovlen = count;
    if (count > 1) set_segment_size(message.msg_hdr, leg.gso_control.data() + groups * kGsoControlBytes, options_.size);
    leg.gso_datagrams[groups] = count;
    first += count;
  }
  const int sent_groups = ::sendmmsg(leg.fd, leg.gso_messages.data(), groups, 0);
  if (sent_groups < 0 && leg.gso_datagrams[0] > 1 && is_gso_refusal(errno)) {
    // Not a lost datagram but a generator that cannot run as asked: say so instead of counting.
    throw SystemError::perror_style("--gso: the kernel refused a UDP GSO send (--size " +
                                        std::to_string(options_.size) +
                                        " plus the IP and UDP headers must fit the interface's MTU)",
                                    errno);
  }
  if (sent_groups <= 0) return sent_groups;
  int sent = 0;
  for (int group = 0; group < sent_groups; ++group) sent += static_cast<int>(leg.gso_datagrams[group]);
  return sent;
}

SendResult SendLoop::run() {
  SendResult result;
  result.first_seq = options_.start_seq;
  result.legs.resize(legs_.size());
  const uint64_t limit = datagram_limit();
  start_ns_ = monotonic_now_ns();
  start_unix_ns_ = realtime_now_ns();
  // Paced, --duration became an exact datagram count (datagram_limit); unpaced, it is a clock.
  const bool stop_on_clock = options_.duration_ns && options_.rate_pps == 0;
  const int64_t end_ns = options_.duration_ns ? start_ns_ + *options_.duration_ns : 0;
  const auto done = [&] {
    return std::all_of(legs_.begin(), legs_.end(), [&](const Leg& leg) { return leg.index >= limit; });
  };
  while (!done() && !stop_requested()) {
    const int64_t now_ns = monotonic_now_ns();
    if (stop_on_clock && now_ns >= end_ns) break;
    int64_t wake_ns = std::numeric_limits<int64_t>::max();
    bool sent_any = false;
    for (size_t i = 0; i < legs_.size(); ++i) {
      Leg& leg = legs_[i];
      if (leg.index >= limit) continue;
      const uint64_t due = due_by(leg, now_ns - start_ns_);
      if (due <= leg.index) {
        wake_ns = std::min(wake_ns, start_ns_ + due_at_ns(leg, leg.index));
        continue;
      }
      const auto burst =
          static_cast<unsigned>(std::min<uint64_t>({due - leg.index, options_.batch, limit - leg.index}));
      send_burst(leg, burst, result, result.legs[i]);
      sent_any = true;
    }
    if (!sent_any && wake_ns != std::numeric_limits<int64_t>::max()) sleep_until(wake_ns);
  }
  result.elapsed_ns = monotonic_now_ns() - start_ns_;
  uint64_t furthest = 0;
  for (const Leg& leg : legs_) furthest = std::max(furthest, leg.index);
  result.next_seq = options_.start_seq + std::min(furthest, limit);
  return result;
}

}  // namespace mcr::tools
