// Grouping of a batch's datagrams into GSO sends; pure, so it is tested without sockets.
#include "net/gso.h"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cerrno>

namespace mcr {

namespace {

constexpr unsigned kUdpHeaderBytes = 8;
constexpr unsigned kIpv4HeaderBytes = 20;  // the output sockets set no IP options
constexpr unsigned kIpv6HeaderBytes = 40;

}  // namespace

unsigned gso_group_size(const iovec* iovecs, const int* ttls, unsigned available, unsigned max_segment_bytes) {
  if (available == 0) return 0;
  const size_t segment = iovecs[0].iov_len;
  // A zero-length datagram cannot be a segment size; a single datagram needs no GSO.
  if (max_segment_bytes == 0 || segment == 0 || segment > max_segment_bytes) return 1;
  size_t total = segment;
  unsigned count = 1;
  while (count < available && count < kGsoMaxSegments) {
    const size_t length = iovecs[count].iov_len;
    if (length == 0 || length > segment || total + length > kGsoMaxPayloadBytes) break;
    if (ttls != nullptr && ttls[count] != ttls[0]) break;
    total += length;
    ++count;
    if (length < segment) break;  // a shorter segment can only be the last one
  }
  return count;
}

unsigned gso_max_segment_bytes(unsigned mtu, int family) {
  const unsigned headers = kUdpHeaderBytes + (family == AF_INET6 ? kIpv6HeaderBytes : kIpv4HeaderBytes);
  return mtu > headers ? mtu - headers : 0;
}

bool is_gso_refusal(int err) noexcept {
  return err == EINVAL || err == EIO || err == EMSGSIZE || err == EOPNOTSUPP || err == ENOPROTOOPT;
}

}  // namespace mcr
