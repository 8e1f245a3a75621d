// One received batch turned into sends: classifies what recvmmsg returned and builds, for each
// output, the sendmmsg array that points at the same receive buffers. Pure: no system calls.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/address.h"
#include "core/buffer_pool.h"

namespace mcr {

struct BatchSummary {
  unsigned received = 0;              // datagrams recvmmsg returned
  unsigned forwardable = 0;           // received minus truncated
  unsigned truncated = 0;             // larger than a slot: counted, never forwarded
  uint64_t bytes = 0;                 // payload bytes of the forwardable datagrams
  uint64_t rxq_overflow = 0;          // highest SO_RXQ_OVFL value on the batch, 0 if none
};

struct OutputMessages {
  unsigned count = 0;                 // messages ready in Batch::messages()
  unsigned ttl_expired = 0;           // skipped: arrived with ttl <= 1 on a ttl-"inherit" output
};

// Zero-copy fan-out: the payload is never copied. collect() builds one array of send iovecs with
// the true lengths, once per batch; every output's messages reference those iovecs, and only the
// destination (and, for ttl "inherit", a per-message TTL cmsg) differs between outputs.
class Batch {
 public:
  static constexpr int kTtlUnknown = -1;
  // One TTL / hop-limit cmsg per message.
  static constexpr size_t kSendControlBytes = CMSG_SPACE(sizeof(int));

  explicit Batch(unsigned capacity);

  // Reads the first `received` headers of the pool after recvmmsg.
  BatchSummary collect(const BufferPool& pool, unsigned received);

  // Fills messages() for one output; datagrams it must not get are left out.
  OutputMessages address_to(const SocketAddress& destination, bool inherit_ttl);

  mmsghdr* messages() noexcept { return messages_.data(); }
  unsigned forwardable() const noexcept { return forwardable_; }
  const iovec& send_iovec(unsigned index) const noexcept { return send_iovecs_[index]; }
  int ttl(unsigned index) const noexcept { return ttls_[index]; }

 private:
  void add_ttl_control(msghdr& header, unsigned message, int family, int ttl) noexcept;

  std::vector<iovec> send_iovecs_;    // one per forwardable datagram, shared by every output
  std::vector<int> ttls_;             // ingress TTL / hop limit per forwardable datagram
  std::vector<mmsghdr> messages_;     // rebuilt for each output
  std::unique_ptr<std::byte[]> control_;
  unsigned forwardable_ = 0;
};

}  // namespace mcr
