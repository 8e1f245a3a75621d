// UDP GSO (UDP_SEGMENT) on send: which consecutive datagrams of a batch can leave as one
// super-datagram the kernel segments, and which errors mean "the kernel refuses GSO here". In
// net/ because both the engine's outputs and mcrgen --gso send that way.
#pragma once

#include <sys/uio.h>

#include <cstdint>

namespace mcr {

// UDP_MAX_SEGMENTS in the kernel (include/linux/udp.h): segments per GSO send.
inline constexpr unsigned kGsoMaxSegments = 64;
// The kernel builds one IPv4 packet of at most 65535 bytes before segmenting it:
// 65535 - 20 (IPv4 header) - 8 (UDP header). Used for IPv6 too (its limit is higher).
inline constexpr unsigned kGsoMaxPayloadBytes = 65507;
// After a refusal GSO stays off on that output for this long, then one send probes it again:
// refusals come from configuration (MTU, checksum offload, IPsec) that rarely changes.
inline constexpr int64_t kGsoReprobeIntervalNs = 10'000'000'000;

// How many of the `available` datagrams starting at `iovecs[0]` go out in one send (>= 1 when
// available > 0). They form a group when they all have the first one's length (the segment size)
// except the last, which may be shorter but not empty; the segment size is 1..max_segment_bytes,
// at most kGsoMaxSegments segments and kGsoMaxPayloadBytes bytes in total. With `ttls` (ttl
// "inherit" outputs) every datagram of a group must carry the same TTL. max_segment_bytes 0 =
// GSO off: every datagram is its own send.
unsigned gso_group_size(const iovec* iovecs, const int* ttls, unsigned available, unsigned max_segment_bytes);

// The largest segment the kernel accepts on an interface of `mtu` bytes: the segment plus the
// IP and UDP headers must fit the MTU (else EINVAL). 0 when nothing fits.
unsigned gso_max_segment_bytes(unsigned mtu, int family);

// errno values with which a GSO send is refused while the same datagrams sent one by one may
// go: EMSGSIZE or EINVAL (segment + headers above the MTU, depending on the kernel; EINVAL also
// without UDP_SEGMENT), EIO (no checksum offload on the device, an IPsec policy),
// EOPNOTSUPP / ENOPROTOOPT (not supported at all). The one-by-one sends then count real errors.
bool is_gso_refusal(int err) noexcept;

}  // namespace mcr
