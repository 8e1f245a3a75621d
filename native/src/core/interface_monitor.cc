// Reads rtnetlink link/address/IPv4 netconf notifications on a dedicated thread and hands them, one burst
// at a time, to the engine. Kernel buffer overruns (ENOBUFS) turn into "look at everything".
#include "core/interface_monitor.h"

#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <cstdint>
#include <system_error>

namespace mcr {

namespace {

// Interface notifications are rare and small; 64 KiB holds a burst of hundreds of them, and a
// large receive buffer makes an ENOBUFS resync unlikely even when many interfaces change at once.
constexpr size_t kReceiveBufferBytes = 64 << 10;
constexpr int kSocketBufferBytes = 1 << 20;
// IPv4 netconf has no RTMGRP_ mask of its own: group n is bit n - 1.
constexpr unsigned kIpv4NetconfGroup = 1u << (RTNLGRP_IPV4_NETCONF - 1);
constexpr unsigned kGroups = RTMGRP_LINK | RTMGRP_IPV4_IFADDR | RTMGRP_IPV6_IFADDR | kIpv4NetconfGroup;

Fd open_netlink() {
  Fd fd(socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE));
  if (!fd) throw std::system_error(errno, std::generic_category(), "socket(AF_NETLINK, NETLINK_ROUTE)");
  // Best effort: without root the plain SO_RCVBUF limit applies, which still works.
  if (setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &kSocketBufferBytes, sizeof(kSocketBufferBytes)) != 0) {
    setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUF, &kSocketBufferBytes, sizeof(kSocketBufferBytes));
  }
  sockaddr_nl address{};
  address.nl_family = AF_NETLINK;
  address.nl_groups = kGroups;
  if (bind(fd.get(), reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0) {
    throw std::system_error(errno, std::generic_category(), "bind(rtnetlink link, address and IPv4 netconf groups)");
  }
  return fd;
}

Fd open_eventfd() {
  Fd fd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!fd) throw std::system_error(errno, std::generic_category(), "eventfd");
  return fd;
}

}  // namespace

InterfaceMonitor::InterfaceMonitor(Listener listener)
    : listener_(std::move(listener)), netlink_(open_netlink()), wake_(open_eventfd()) {
  thread_ = std::jthread([this] { run(); });
}

InterfaceMonitor::~InterfaceMonitor() {
  stop();
}

void InterfaceMonitor::stop() {
  std::lock_guard lock(stop_mutex_);
  if (!thread_.joinable()) return;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t written = write(wake_.get(), &one, sizeof(one));
  thread_.join();
  // The thread was their only reader: an engine that is closed holds no descriptor, however long
  // its owner (a JavaScript object waiting for the garbage collector) keeps it.
  netlink_.reset();
  wake_.reset();
}

void InterfaceMonitor::run() {
  std::array<pollfd, 2> sources{pollfd{netlink_.get(), POLLIN, 0}, pollfd{wake_.get(), POLLIN, 0}};
  for (;;) {
    if (poll(sources.data(), sources.size(), -1) < 0) continue;  // EINTR
    if (sources[1].revents != 0) return;
    InterfaceChanges changes;
    const bool healthy = read_changes(changes);
    if (!changes.empty()) listener_(changes);
    if (!healthy) return;
  }
}

// Drains everything queued so that a burst (link down, address removed, link deleted) is
// looked at once, in its final state.
bool InterfaceMonitor::read_changes(InterfaceChanges& changes) {
  alignas(nlmsghdr) std::array<char, kReceiveBufferBytes> buffer{};
  for (;;) {
    const ssize_t received = recv(netlink_.get(), buffer.data(), buffer.size(), MSG_DONTWAIT);
    if (received > 0) {
      collect_interface_changes(buffer.data(), static_cast<size_t>(received), changes);
      continue;
    }
    if (received == 0) return true;
    if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
    if (errno == EINTR) continue;
    if (errno == ENOBUFS) {  // the kernel dropped notifications: what we missed is unknown
      changes.everything = true;
      continue;
    }
    return false;  // EBADF and the like: nothing to monitor any more
  }
}

}  // namespace mcr
