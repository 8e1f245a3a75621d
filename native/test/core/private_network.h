// A network namespace private to one test: the body runs on a thread that unshared its network
// namespace, so the engine's sockets, the interface monitor and every `ip` command the body
// runs (forked from that thread) see only the test's own veth pair, never the host's network.
#pragma once

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <functional>
#include <stdexcept>
#include <string>
#include <thread>

#include "core/interface.h"
#include "net/fd.h"

namespace mcr::test {

// Runs a shell command (in the caller's network namespace); throws with the command on failure.
inline void shell(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("command failed: " + command);
}

// Runs `body` in a fresh network namespace with loopback up; rethrows what the body threw.
inline void in_private_network(const std::function<void()>& body) {
  std::exception_ptr failure;
  std::thread([&] {
    try {
      if (unshare(CLONE_NEWNET) != 0) {
        throw std::runtime_error(std::string("unshare(CLONE_NEWNET) needs root: ") + std::strerror(errno));
      }
      shell("ip link set lo up");
      body();
    } catch (...) {
      failure = std::current_exception();
    }
  }).join();
  if (failure) std::rethrow_exception(failure);
}

// A veth pair in the private namespace: the sender's end `a` (10.99.0.1) and the relay's end
// `b` (10.99.0.2). Both addresses are local, so `b` must accept a local source.
inline void create_veth_pair(const std::string& a, const std::string& b) {
  shell("ip link add " + a + " type veth peer name " + b);
  shell("ip addr add 10.99.0.1/24 dev " + a + " && ip addr add 10.99.0.2/24 dev " + b);
  shell("sysctl -qw net.ipv4.conf.all.rp_filter=0 net.ipv4.conf." + b + ".rp_filter=0 net.ipv4.conf." + b +
        ".accept_local=1 net.ipv4.conf." + a + ".accept_local=1");
  shell("ip link set " + a + " up && ip link set " + b + " up");
  // Carrier comes a moment after "up"; datagrams sent before it are dropped by the veth.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (!query_interface(a).up || !query_interface(b).up) {
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("veth " + a + " did not come up");
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

// Sends numbered datagrams to an IPv4 group out of interface `name`, resolved on every send
// (the interface may have been recreated with a new index in between).
class MulticastSender {
 public:
  MulticastSender() : fd_(socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) {}

  void send(const std::string& name, const std::string& group, uint16_t port, const std::string& payload) {
    ip_mreqn request{};
    request.imr_ifindex = static_cast<int>(if_nametoindex(name.c_str()));
    if (setsockopt(fd_.get(), IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof(request)) != 0) {
      throw std::runtime_error("IP_MULTICAST_IF " + name + ": " + std::strerror(errno));
    }
    sockaddr_in to{};
    to.sin_family = AF_INET;
    to.sin_port = htons(port);
    inet_pton(AF_INET, group.c_str(), &to.sin_addr);
    if (sendto(fd_.get(), payload.data(), payload.size(), 0, reinterpret_cast<const sockaddr*>(&to), sizeof(to)) < 0) {
      throw std::runtime_error("sendto " + group + " on " + name + ": " + std::strerror(errno));
    }
  }

 private:
  Fd fd_;
};

}  // namespace mcr::test
