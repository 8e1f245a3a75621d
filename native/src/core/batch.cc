// Classification of a received batch (truncation, drop counter, TTL) and the per-output sendmmsg arrays.
#include "core/batch.h"

#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace mcr {

namespace {

struct DatagramControl {
  int ttl = Batch::kTtlUnknown;
  uint64_t rxq_overflow = 0;
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
    } else if ((cmsg->cmsg_level == IPPROTO_IP && cmsg->cmsg_type == IP_TTL) ||
               (cmsg->cmsg_level == IPPROTO_IPV6 && cmsg->cmsg_type == IPV6_HOPLIMIT)) {
      control.ttl = read_cmsg_value<int>(cmsg);
    }
  }
  return control;
}

}  // namespace

Batch::Batch(unsigned capacity)
    : send_iovecs_(capacity),
      ttls_(capacity, kTtlUnknown),
      messages_(capacity),
      control_(std::make_unique<std::byte[]>(kSendControlBytes * capacity)) {}

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
    send_iovecs_[forwardable_] = iovec{header.msg_iov[0].iov_base, length};
    ttls_[forwardable_] = control.ttl;
    ++forwardable_;
    summary.bytes += length;
  }
  summary.forwardable = forwardable_;
  return summary;
}

void Batch::add_ttl_control(msghdr& header, unsigned message, int family, int ttl) noexcept {
  header.msg_control = control_.get() + message * kSendControlBytes;
  header.msg_controllen = CMSG_SPACE(sizeof(int));
  cmsghdr* cmsg = CMSG_FIRSTHDR(&header);
  cmsg->cmsg_level = family == AF_INET ? IPPROTO_IP : IPPROTO_IPV6;
  cmsg->cmsg_type = family == AF_INET ? IP_TTL : IPV6_HOPLIMIT;
  cmsg->cmsg_len = CMSG_LEN(sizeof(int));
  std::memcpy(CMSG_DATA(cmsg), &ttl, sizeof(ttl));
}

OutputMessages Batch::address_to(const SocketAddress& destination, bool inherit_ttl) {
  OutputMessages result;
  for (unsigned i = 0; i < forwardable_; ++i) {
    const int ingress_ttl = ttls_[i];
    if (inherit_ttl && ingress_ttl != kTtlUnknown && ingress_ttl <= 1) {
      ++result.ttl_expired;
      continue;
    }
    msghdr& header = messages_[result.count].msg_hdr;
    header = msghdr{};
    header.msg_name = const_cast<sockaddr*>(destination.get());  // sendmmsg only reads it
    header.msg_namelen = destination.length;
    header.msg_iov = &send_iovecs_[i];
    header.msg_iovlen = 1;
    if (inherit_ttl && ingress_ttl != kTtlUnknown) {
      add_ttl_control(header, result.count, destination.family(), ingress_ttl - 1);
    }
    ++result.count;
  }
  return result;
}

}  // namespace mcr
