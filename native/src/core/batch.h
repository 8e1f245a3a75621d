// One received batch turned into sends: classifies what recvmmsg returned and builds, for each
// output, the sendmmsg array that points at the same receive buffers (GSO groups gathered from
// several buffers into one message). Pure: no system calls.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "core/buffer_pool.h"
#include "net/address.h"

namespace mcr {

struct BatchSummary {
  unsigned received = 0;      // buffers recvmmsg returned (a GRO buffer holds several datagrams)
  unsigned forwardable = 0;   // datagrams in the buffers that were not truncated
  unsigned truncated = 0;     // larger than a slot: counted, never forwarded
  uint64_t bytes = 0;         // payload bytes of the forwardable datagrams
  uint64_t rxq_overflow = 0;  // highest SO_RXQ_OVFL value on the batch, 0 if none
};

struct OutputMessages {
  unsigned count = 0;         // messages ready in Batch::messages()
  unsigned ttl_expired = 0;   // skipped: arrived with ttl <= 1 on a ttl-"inherit" output
  unsigned gso_messages = 0;  // messages that carry UDP_SEGMENT (2+ datagrams each)
};

// Zero-copy fan-out: the payload is never copied. collect() builds one array of send iovecs with
// the true lengths, once per batch; every output's messages reference those iovecs, and only the
// destination (and, for ttl "inherit", a per-message TTL cmsg) differs between outputs. With GSO
// a message gathers consecutive iovecs of that array and carries a UDP_SEGMENT cmsg.
class Batch {
 public:
  static constexpr int kTtlUnknown = -1;
  // Per message: a TTL / hop-limit cmsg and a UDP_SEGMENT cmsg (segment size, uint16_t).
  static constexpr size_t kSendControlBytes = CMSG_SPACE(sizeof(int)) + CMSG_SPACE(sizeof(uint16_t));

  // `capacity` received buffers, each holding at most `datagrams_per_buffer` datagrams (1, or
  // up to kGsoMaxSegments when the ingress delivers GRO-coalesced buffers).
  explicit Batch(unsigned capacity, unsigned datagrams_per_buffer = 1);

  // Reads the first `received` headers of the pool after recvmmsg. A buffer with a UDP_GRO cmsg
  // holds several datagrams of that segment size (the last may be shorter): each becomes its
  // own send iovec into the same buffer, so the outputs see the datagrams the sender sent.
  BatchSummary collect(const BufferPool& pool, unsigned received);

  // Fills messages() for one output with the datagrams from `first_datagram` on; datagrams it
  // must not get are left out. gso_segment_limit > 0 groups datagrams (see gso_group_size);
  // 0 sends every datagram as its own message.
  OutputMessages address_to(const SocketAddress& destination, bool inherit_ttl, unsigned gso_segment_limit = 0,
                            unsigned first_datagram = 0);

  // Keeps, in order, the forwardable datagrams for which `keep(const iovec& payload)` is true, and
  // returns how many remain (redundancy: later copies of a datagram leave the batch here).
  template <typename Keep>
  unsigned retain(Keep&& keep) {
    unsigned kept = 0;
    for (unsigned i = 0; i < forwardable_; ++i) {
      if (!keep(send_iovecs_[i])) continue;
      send_iovecs_[kept] = send_iovecs_[i];
      ttls_[kept] = ttls_[i];
      arrivals_[kept] = arrivals_[i];
      ++kept;
    }
    forwardable_ = kept;
    return kept;
  }

  mmsghdr* messages() noexcept { return messages_.data(); }
  // For message `index` of the last address_to: its first datagram and how many it carries.
  unsigned message_first_datagram(unsigned index) const noexcept { return message_first_[index]; }
  unsigned message_datagrams(unsigned index) const noexcept { return message_datagrams_[index]; }
  unsigned forwardable() const noexcept { return forwardable_; }
  const iovec& send_iovec(unsigned index) const noexcept { return send_iovecs_[index]; }
  int ttl(unsigned index) const noexcept { return ttls_[index]; }
  // The kernel's receive time of a forwardable datagram (CLOCK_REALTIME ns), 0 when the ingress
  // does not ask for it (set_arrival_timestamps). A GRO buffer's datagrams share one.
  int64_t arrival_ns(unsigned index) const noexcept { return arrivals_[index]; }

 private:
  void add_control(msghdr& header, unsigned message, int family, int ttl, unsigned segment_bytes) noexcept;
  bool add_datagrams(std::byte* buffer, unsigned length, int gro_segment_bytes, int ttl, int64_t arrival_ns) noexcept;

  std::vector<iovec> send_iovecs_;           // one per forwardable datagram, shared by every output
  std::vector<int> ttls_;                    // ingress TTL / hop limit per forwardable datagram
  std::vector<int64_t> arrivals_;            // kernel receive time per forwardable datagram, or 0
  std::vector<mmsghdr> messages_;            // rebuilt for each output
  std::vector<unsigned> message_first_;      // per message: index of its first datagram
  std::vector<unsigned> message_datagrams_;  // per message: datagrams it carries (GSO: 2+)
  std::unique_ptr<std::byte[]> control_;
  unsigned forwardable_ = 0;
  unsigned datagrams_per_buffer_;
};

}  // namespace mcr
