// Classification of a received batch (truncation, drop counter, TTL) and the per-output sendmmsg arrays.
#include "core/batch.h"

#include <netinet/in.h>

#include <netinet/udp.h>

#include <algorithm>
#include <cstring>

#include "net/gso.h"

namespace mcr {

namespace {

struct DatagramControl {
  int ttl = Batch::kTtlUnknown;
  uint64_t rxq_overflow = 0;
  int gro_segment_bytes = 0;  // UDP_GRO: the buffer holds datagrams of this size; 0 = one datagram
  int64_t arrival_ns = 0;     // SO_TIMESTAMPNS, when the ingress asks for it
};

template <typename Value>
Value read_cmsg_value(const cmsghdr* cmsg) noexcept {
  Value value{};
  std::memcpy(&value, CMSG_DATA(cmsg), sizeof(value));
  return value;
}

DatagramControl read_control(const msghdr& header) noexcept {
  DatagramControl control;
  for (const cmsghdr* cmsg = CMSG_FIRSTHDR(&header); cmsg != nullptr;
       cmsg = CMSG_NXTHDR(const_cast<msghdr*>(&header), const_cast<cmsghdr*>(cmsg))) {
    if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SO_RXQ_OVFL) {
      control.rxq_overflow = read_cmsg_value<uint32_t>(cmsg);
    } else if (cmsg->cmsg_level == SOL_SOCKET && cmsg->cmsg_type == SCM_TIMESTAMPNS) {
      const auto stamp = read_cmsg_value<timespec>(cmsg);
      control.arrival_ns = static_cast<int64_t>(stamp.tv_sec) * 1'000'000'000 + stamp.tv_nsec;
    } else if ((cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_TTL) ||
               (cmsg->cmsg_level == IPPROTO_IPV6 && cmsg->cmsg_type == IPV6_HOPLIMIT)) {
      control.ttl = read_cmsg_value<int>(cmsg);
    } else if (cmsg->cmsg_level == SOL_UDP && cmsg->cmsg_type == UDP_GRO) {
      control.gro_segment_bytes = read_cmsg_value<int>(cmsg);
    }
  }
  return control;
}

}  // namespace

Batch::Batch(unsigned capacity, unsigned datagrams_per_buffer)
    : send_iovecs_(static_cast<size_t>(capacity) * datagrams_per_buffer),
      ttls_(send_iovecs_.size(), kTtlUnknown),
      arrivals_(send_iovecs_.size(), 0),
      messages_(send_iovecs_.size()),
      message_first_(send_iovecs_.size()),
      message_datagrams_(send_iovecs_.size()),
      control_(std::make_unique<std::byte[]>(kSendControlBytes * send_iovecs_.size())),
      datagrams_per_buffer_(datagrams_per_buffer) {}

BatchSummary Batch::collect(const BufferPool& pool, unsigned received) {
  BatchSummary summary;
  summary.received = received;
  forwardable_ = 0;
  const mmsghdr* headers = pool.receive_messages();
  for (unsigned i = 0; i < received && i < pool.capacity(); ++i) {
    const msghdr& header = headers[i].msg_hdr;
    const DatagramControl control = read_control(header);
    summary.rxq_overflow = std::max(summary.rxq_overflow, control.rxq_overflow);
    if ((header.msg_flags & MSG_TRUNC) != 0) {
      ++summary.truncated;
      continue;
    }
    const unsigned length = headers[i].msg_len;
    if (!add_datagrams(static_cast<std::byte*>(header.msg_iov[0].iov_base), length, control.gro_segment_bytes,
                       control.ttl, control.arrival_ns)) {
      ++summary.truncated;  // more segments than a GRO buffer can hold: never expected from the kernel
      continue;
    }
    summary.bytes += length;
  }
  summary.forwardable = forwardable_;
  return summary;
}

// Appends the datagrams of one received buffer: one, or for a GRO buffer one per segment (the
// last may be shorter). False, appending nothing, when the buffer holds more datagrams than
// datagrams_per_buffer (the kernel coalesces at most kGsoMaxSegments; 1 without GRO).
bool Batch::add_datagrams(std::byte* buffer, unsigned length, int gro_segment_bytes, int ttl,
                          int64_t arrival_ns) noexcept {
  const unsigned segment = gro_segment_bytes > 0 && static_cast<unsigned>(gro_segment_bytes) < length
                               ? static_cast<unsigned>(gro_segment_bytes)
                               : length;
  const unsigned datagrams = segment == 0 ? 1 : (length + segment - 1) / segment;
  if (datagrams > datagrams_per_buffer_) return false;
  for (unsigned offset = 0, d = 0; d < datagrams; ++d, offset += segment) {
    send_iovecs_[forwardable_] = iovec{buffer + offset, std::min(segment, length - offset)};
    ttls_[forwardable_] = ttl;
    arrivals_[forwardable_] = arrival_ns;
    ++forwardable_;
  }
  return true;
}

// Writes the message's cmsgs into its own slice of control_: the TTL when `ttl` is known, the
// segment size when `segment_bytes` > 0. Leaves msg_control null when there is neither.
void Batch::add_control(msghdr& header, unsigned message, int family, int ttl, unsigned segment_bytes) noexcept {
  if (ttl == kTtlUnknown && segment_bytes == 0) return;
  header.msg_control = control_.get() + message * kSendControlBytes;
  header.msg_controllen = kSendControlBytes;
  size_t used = 0;
  cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  if (ttl != kTtlUnknown) {
    cmsg->cmsg_level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
    cmsg->cmsg_type = family == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
    cmsg->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(cmsg), &ttl, sizeof(ttl));
    used += CMSG_SPACE(sizeof(int));
    cmsg = CMSG_NXTHDR(&header, cmsg);
  }
  if (segment_bytes > 0) {
    const auto segment = static_cast<uint16_t>(segment_bytes);
    cmsg->cmsg_level = SOL_UDP;
    cmsg->cmsg_type = UDP_SEGMENT;
    cmsg->cmsg_len = CMSG_LEN(sizeof(uint16_t));
    std::memcpy(CMSG_DATA(cmsg), &segment, sizeof(segment));
    used += CMSG_SPACE(sizeof(uint16_t));
  }
  header.msg_controllen = used;
}

OutputMessages Batch::address_to(const SocketAddress& destination, bool inherit_ttl, unsigned gso_segment_limit,
                                 unsigned first_datagram) {
  OutputMessages result;
  unsigned i = first_datagram;
  while (i < forwardable_) {
    const int ingress_ttl = ttls_[i];
    if (inherit_ttl && ingress_ttl != kTtlUnknown && ingress_ttl <= 1) {
      ++result.ttl_expired;
      ++i;
      continue;
    }
    // Grouping never crosses a TTL change on an inherit output, so an expired datagram ends a group.
    const unsigned datagrams =
        gso_group_size(&send_iovecs_[i], inherit_ttl ? &ttls_[i] : nullptr, forwardable_ - i, gso_segment_limit);
    const unsigned message = result.count;
    msghdr& header = messages_[message].msg_hdr;
    header = msghdr{};
    header.msg_name = const_cast<sockaddr*>(destination.get());  // sendmmsg only reads it
    header.msg_namelen = destination.length;
    header.msg_iov = &send_iovecs_[i];
    header.msg_iovlen = datagrams;
    const int ttl = inherit_ttl && ingress_ttl != kTtlUnknown ? ingress_ttl - 1 : kTtlUnknown;
    const unsigned segment_bytes = datagrams > 1 ? static_cast<unsigned>(send_iovecs_[i].iov_len) : 0;
    add_control(header, message, destination.family(), ttl, segment_bytes);
    message_first_[message] = i;
    message_datagrams_[message] = datagrams;
    if (datagrams > 1) ++result.gso_messages;
    ++result.count;
    i += datagrams;
  }
  return result;
}

}  // namespace mcr
