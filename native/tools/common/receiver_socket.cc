// Receiver socket set-up. Isolation as in the relay's ingress: bound to the group address,
// IP(V6)_MULTICAST_ALL off and joins by interface index, so the same group:port joined on another
// interface never leaks into this sink.
#include "common/receiver_socket.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

#include "common/errors.h"
#include "common/socket_util.h"

namespace mcr::tools {
namespace {

void set_receive_buffer(int fd, uint64_t bytes) {
  const int value = static_cast<int>(bytes);
  // SO_RCVBUFFORCE passes net.core.rmem_max when we are root; otherwise the kernel caps it.
  if (::setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &value, sizeof(value)) == 0) return;
  if (errno != EPERM) throw SystemError("SO_RCVBUFFORCE " + std::to_string(bytes), errno);
  set_int_option(fd, SOL_SOCKET, SO_RCVBUF, value, "SO_RCVBUF " + std::to_string(bytes));
}

void set_receive_options(int fd, const SinkOptions& options) {
  if (options.group.is_multicast()) {
    // Several sinks on one host may listen to the same group and port; each gets a copy.
    set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  }
  set_receive_buffer(fd, options.rcvbuf_bytes);
  set_int_option(fd, SOL_SOCKET, SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
  set_int_option(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
  timeval poll_interval{};
  poll_interval.tv_usec = kReceivePollIntervalMs * 1000;
  set_socket_option(fd, SOL_SOCKET, SO_RCVTIMEO, &poll_interval, sizeof(poll_interval),
                    "SO_RCVTIMEO");
}

void bind_receiver(int fd, SocketAddress address, unsigned ifindex, const SinkOptions& options) {
  if (address.is_ipv6() && ifindex != 0) {
    auto* v6 = reinterpret_cast<sockaddr_in6*>(&address.storage);
    if (v6->sin6_scope_id == 0) v6->sin6_scope_id = ifindex;  // needed for link-local scopes
  }
  if (!address.is_multicast() && !options.interface.empty()) {
    set_socket_option(fd, SOL_SOCKET, SO_BINDTODEVICE, options.interface.c_str(),
                      static_cast<socklen_t>(options.interface.size()),
                      "SO_BINDTODEVICE " + options.interface);
  }
  if (::bind(fd, address.sockaddr_ptr(), address.length) != 0) {
    throw SystemError(
        "bind to " + address.address_text() + " port " + std::to_string(address.port()), errno);
  }
}

void join_group(int fd, const SinkOptions& options, unsigned ifindex) {
  const bool v6 = options.group.is_ipv6();
  const int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
  const std::string where =
      options.group.address_text() + " on " +
      (options.interface.empty() ? "the default interface" : options.interface);
  set_int_option(fd, level, v6 ? IPV6_MULTICAST_ALL : IP_MULTICAST_ALL, 0,
                 v6 ? "IPV6_MULTICAST_ALL" : "IP_MULTICAST_ALL");
  if (options.sources.empty()) {
    group_req request{};
    request.gr_interface = ifindex;
    std::memcpy(&request.gr_group, &options.group.storage, sizeof(request.gr_group));
    set_socket_option(fd, level, MCAST_JOIN_GROUP, &request, sizeof(request),
                      "MCAST_JOIN_GROUP " + where);
    return;
  }
  for (const SocketAddress& source : options.sources) {
    group_source_req request{};
    request.gsr_interface = ifindex;
    std::memcpy(&request.gsr_group, &options.group.storage, sizeof(request.gsr_group));
    std::memcpy(&request.gsr_source, &source.storage, sizeof(request.gsr_source));
    set_socket_option(fd, level, MCAST_JOIN_SOURCE_GROUP, &request, sizeof(request),
                      "MCAST_JOIN_SOURCE_GROUP " + where + " from " + source.address_text());
  }
}

}  // namespace

UniqueFd open_receiver(const SinkOptions& options) {
  unsigned ifindex = options.interface.empty() ? 0 : resolve_interface(options.interface);
  if (ifindex == 0 && options.group.is_ipv6()) {
    ifindex = reinterpret_cast<const sockaddr_in6*>(&options.group.storage)->sin6_scope_id;
  }
  UniqueFd fd = open_udp_socket(options.group.family());
  set_receive_options(fd.get(), options);
  bind_receiver(fd.get(), options.group, ifindex, options);
  if (options.group.is_multicast()) join_group(fd.get(), options, ifindex);
  return fd;
}

}  // namespace mcr::tools
