// mcr-arrival-time-cost: what the per-datagram kernel receive timestamp (SO_TIMESTAMPNS, on while
// a relay's analysis measures RTP jitter) costs on the receive path: loopback UDP, sendmmsg of a
// burst, then recvmmsg of it into the engine's BufferPool and Batch::collect, with the timestamp
// off and on, alternating rounds so that both see the same machine. The cost lands in both
// halves: the kernel stamps the skb where it is received (here, in the sender's softirq) and
// writes one more cmsg, which collect parses. Not shipped; built with the tools.
//
// usage: mcr-arrival-time-cost [DATAGRAMS]   (default 2000000)
#include <netinet/in.h>
#include <sys/socket.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/batch.h"
#include "core/buffer_pool.h"
#include "core/ingress_socket.h"
#include "net/fd.h"

namespace {

constexpr unsigned kBurst = 64;
constexpr size_t kDatagramBytes = 1328;  // 12-byte RTP header + 7 x 188 bytes of TS
constexpr unsigned kRounds = 10;

struct Loopback {
  mcr::IngressSocket ingress;
  mcr::Fd sender{::socket(AF_INET, SOCK_DGRAM, 0)};
  std::vector<std::byte> payload = std::vector<std::byte>(kDatagramBytes, std::byte{0x47});
  std::vector<iovec> iovecs = std::vector<iovec>(kBurst, iovec{payload.data(), payload.size()});
  std::vector<mmsghdr> messages = std::vector<mmsghdr>(kBurst);

  Loopback() {
    ingress.fd = mcr::Fd(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0));
    ingress.family = AF_INET;
    const int on = 1;
    const int buffer = 16 << 20;
    setsockopt(ingress.fd.get(), SOL_SOCKET, SO_RXQ_OVFL, &on, sizeof(on));
    setsockopt(ingress.fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &buffer, sizeof(buffer));
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(ingress.fd.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) std::exit(1);
    socklen_t length = sizeof(address);
    getsockname(ingress.fd.get(), reinterpret_cast<sockaddr*>(&address), &length);
    if (connect(sender.get(), reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0) std::exit(1);
    for (unsigned i = 0; i < kBurst; ++i) {
      messages[i].msg_hdr.msg_iov = &iovecs[i];
      messages[i].msg_hdr.msg_iovlen = 1;
    }
  }
};

// Nanoseconds per datagram for `datagrams` sent and received in bursts.
double run(Loopback& loopback, mcr::BufferPool& pool, mcr::Batch& batch, uint64_t datagrams) {
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t done = 0; done < datagrams; done += kBurst) {
    if (sendmmsg(loopback.sender.get(), loopback.messages.data(), kBurst, 0) != static_cast<int>(kBurst)) std::exit(1);
    const int received =
        recvmmsg(loopback.ingress.fd.get(), pool.receive_messages(), pool.capacity(), MSG_DONTWAIT, nullptr);
    if (received != static_cast<int>(kBurst)) std::exit(1);
    batch.collect(pool, kBurst);
    pool.rearm(kBurst);
  }
  return std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count() /
         static_cast<double>(datagrams);
}

}  // namespace

int main(int argc, char** argv) {
  const uint64_t datagrams = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 2'000'000;
  Loopback loopback;
  mcr::BufferPool pool(kBurst, 2048);
  mcr::Batch batch(kBurst);
  double off_ns = 0;
  double on_ns = 0;
  run(loopback, pool, batch, datagrams / kRounds);  // warm-up
  for (unsigned round = 0; round < kRounds; ++round) {
    mcr::set_arrival_timestamps(loopback.ingress, false);
    off_ns += run(loopback, pool, batch, datagrams / kRounds) / kRounds;
    mcr::set_arrival_timestamps(loopback.ingress, true);
    on_ns += run(loopback, pool, batch, datagrams / kRounds) / kRounds;
  }
  if (batch.arrival_ns(kBurst - 1) == 0) {
    std::fputs("mcr-arrival-time-cost: the kernel gave no SO_TIMESTAMPNS\n", stderr);
    return 1;
  }
  std::printf("send + receive + collect of a %zu-byte datagram, bursts of %u, over loopback:\n", kDatagramBytes,
              kBurst);
  std::printf("  timestamps off  %7.1f ns/datagram\n  timestamps on   %7.1f ns/datagram  (%+.1f ns, %+.1f%%)\n", off_ns,
              on_ns, on_ns - off_ns, 100.0 * (on_ns - off_ns) / off_ns);
  return 0;
}
