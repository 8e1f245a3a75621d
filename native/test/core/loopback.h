// Test helpers for loopback integration tests of the engine: plain UDP senders and background
// receivers on 127.0.0.1 / ::1, numbered payloads, and a polling wait with a deadline.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <cstring>
#include <functional>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/engine.h"
#include "net/fd.h"

namespace mcr::test {

using namespace std::chrono_literals;

inline constexpr int kTestSocketBufferBytes = 4 << 20;

inline sockaddr_in loopback_v4(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

inline sockaddr_in6 loopback_v6(uint16_t port) {
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_port = htons(port);
  address.sin6_addr = in6addr_loopback;
  return address;
}

inline Fd udp_socket(int family) {
  Fd fd(socket(family, SOCK_DGRAM | SOCK_CLOEXEC, 0));
  if (!fd) throw std::runtime_error("socket: " + std::string(std::strerror(errno)));
  return fd;
}

template <typename Address>
bool try_bind(const Fd& fd, const Address& address) {
  return bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0;
}

// A port that is free right now on 127.0.0.1 and ::1 and was not handed out before in this
// process (the kernel may offer a just-released port again, and a test needs distinct ports).
inline uint16_t free_port() {
  static std::mutex mutex;
  static std::set<uint16_t> handed_out;
  std::lock_guard lock(mutex);
  for (int attempt = 0; attempt < 1000; ++attempt) {
    Fd fd = udp_socket(AF_INET);
    sockaddr_in address = loopback_v4(0);
    if (!try_bind(fd, address)) continue;
    socklen_t length = sizeof(address);
    getsockname(fd.get(), reinterpret_cast<sockaddr*>(&address), &length);
    const uint16_t port = ntohs(address.sin_port);
    Fd v6 = udp_socket(AF_INET6);
    if (handed_out.count(port) == 0 && try_bind(v6, loopback_v6(port))) {
      handed_out.insert(port);
      return port;
    }
  }
  throw std::runtime_error("no free UDP port on loopback");
}

// Polls `condition` every millisecond until it holds or `timeout` passes; returns the last result.
inline bool eventually(const std::function<bool()>& condition, std::chrono::milliseconds timeout = 5s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(1ms);
  }
  return condition();
}

struct Received {
  std::string payload;
  int ttl = -1;  // from IP_TTL / IPV6_HOPLIMIT cmsg
};

// Binds 127.0.0.1:<free port> (or ::1) and collects every datagram on a background thread.
class Receiver {
 public:
  explicit Receiver(int family = AF_INET) : fd_(udp_socket(family)) {
    const int on = 1;
    setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUFFORCE, &kTestSocketBufferBytes, sizeof(int));
    if (family == AF_INET) {
      setsockopt(fd_.get(), IPPROTO_IP, IP_RECVTTL, &on, sizeof(on));
    } else {
      setsockopt(fd_.get(), IPPROTO_IPV6, IPV6_RECVHOPLIMIT, &on, sizeof(on));
    }
    for (int attempt = 0; attempt < 100; ++attempt) {
      port_ = free_port();
      if (family == AF_INET ? try_bind(fd_, loopback_v4(port_)) : try_bind(fd_, loopback_v6(port_))) break;
      port_ = 0;
    }
    if (port_ == 0) throw std::runtime_error("cannot bind a receiver");
    thread_ = std::jthread([this] { run(); });
  }
  ~Receiver() {
    stop_ = true;
    thread_.join();
  }
  Receiver(const Receiver&) = delete;
  Receiver& operator=(const Receiver&) = delete;

  uint16_t port() const { return port_; }
  size_t count() const {
    std::lock_guard lock(mutex_);
    return received_.size();
  }
  std::vector<Received> received() const {
    std::lock_guard lock(mutex_);
    return received_;
  }
  bool wait_for(size_t count, std::chrono::milliseconds timeout = 5s) const {
    return eventually([&] { return this->count() >= count; }, timeout);
  }

 private:
  void run() {
    std::vector<char> buffer(65536);
    alignas(cmsghdr) char control[64];
    while (!stop_) {
      pollfd ready{fd_.get(), POLLIN, 0};
      if (poll(&ready, 1, 20) <= 0) continue;
      iovec iov{buffer.data(), buffer.size()};
      msghdr header{};
      header.msg_iov = &iov;
      header.msg_iovlen = 1;
      header.msg_control = control;
      header.msg_controllen = sizeof(control);
      const ssize_t length = recvmsg(fd_.get(), &header, MSG_DONTWAIT);
      if (length < 0) continue;
      Received datagram{std::string(buffer.data(), static_cast<size_t>(length)), -1};
      for (cmsghdr* cmsg = CMSG_FIRSTHDR(&header); cmsg != nullptr; cmsg = CMSG_NXTHDR(&header, cmsg)) {
        if (cmsg->cmsg_type == IP_TTL || cmsg->cmsg_type == IPV6_HOPLIMIT) {
          std::memcpy(&datagram.ttl, CMSG_DATA(cmsg), sizeof(int));
        }
      }
      std::lock_guard lock(mutex_);
      received_.push_back(std::move(datagram));
    }
  }

  Fd fd_;
  uint16_t port_ = 0;
  mutable std::mutex mutex_;
  std::vector<Received> received_;
  std::atomic<bool> stop_{false};
  std::jthread thread_;
};

class Sender {
 public:
  explicit Sender(int family = AF_INET) : family_(family), fd_(udp_socket(family)) {}

  void set_ttl(int ttl) {
    if (family_ == AF_INET) {
      setsockopt(fd_.get(), IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
    } else {
      setsockopt(fd_.get(), IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl, sizeof(ttl));
    }
  }

  void send(uint16_t port, const std::string& payload) const {
    ssize_t sent = 0;
    if (family_ == AF_INET) {
      const sockaddr_in to = loopback_v4(port);
      sent = sendto(fd_.get(), payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof(to));
    } else {
      const sockaddr_in6 to = loopback_v6(port);
      sent = sendto(fd_.get(), payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof(to));
    }
    if (sent != static_cast<ssize_t>(payload.size()))
      throw std::runtime_error("sendto: " + std::string(std::strerror(errno)));
  }

 private:
  int family_;
  Fd fd_;
};

// "seq:<n>" padded to `size` bytes (at least the number itself).
inline std::string numbered(uint64_t sequence, size_t size = 0) {
  std::string payload = "seq:" + std::to_string(sequence);
  if (payload.size() < size) payload.resize(size, '.');
  return payload;
}

inline uint64_t sequence_of(const std::string& payload) {
  return std::stoull(
      payload.substr(4, payload.find('.') == std::string::npos ? std::string::npos : payload.find('.') - 4));
}

inline OutputSpec loopback_output(uint16_t port, int ttl = 1, const std::string& group = "127.0.0.1") {
  OutputSpec output;
  output.interface = "lo";
  output.group = group;
  output.port = port;
  output.ttl = ttl;
  return output;
}

inline RelaySpec loopback_relay(uint16_t ingress_port, const std::vector<uint16_t>& output_ports,
                                const std::string& group = "127.0.0.1") {
  RelaySpec spec;
  spec.name = "loopback-" + std::to_string(ingress_port);
  spec.input.interface = "lo";
  spec.input.group = group;
  spec.input.port = ingress_port;
  for (const uint16_t port : output_ports) spec.outputs.push_back(loopback_output(port));
  return spec;
}

inline EngineOptions small_engine_options() {
  EngineOptions options;
  options.workers = 2;
  options.batch_size = 32;
  options.buffer_size = 9216;
  options.socket_buffer_bytes = kTestSocketBufferBytes;
  return options;
}

}  // namespace mcr::test

namespace mcr::test {

// Sends numbered datagrams [first, first + count) to `port`, never more than `window` ahead of
// what `witness` has received, so neither the engine's nor the receiver's queue can overflow.
inline void send_paced(const Sender& sender, uint16_t port, uint64_t first, uint64_t count, const Receiver& witness,
                       size_t size = 0, size_t window = 256) {
  const size_t base = witness.count();
  for (uint64_t i = 0; i < count; ++i) {
    if (i >= window && !witness.wait_for(base + i - window + 1)) {
      throw std::runtime_error("the relay stopped forwarding after " + std::to_string(i) + " datagrams");
    }
    sender.send(port, numbered(first + i, size));
  }
}

inline std::vector<uint64_t> sequences(const std::vector<Received>& received) {
  std::vector<uint64_t> result;
  result.reserve(received.size());
  for (const Received& datagram : received) result.push_back(sequence_of(datagram.payload));
  return result;
}

inline std::vector<uint64_t> range(uint64_t first, uint64_t count) {
  std::vector<uint64_t> result(count);
  for (uint64_t i = 0; i < count; ++i) result[i] = first + i;
  return result;
}

}  // namespace mcr::test
