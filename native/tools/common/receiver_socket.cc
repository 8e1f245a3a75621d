// Receiver socket set-up. Isolation as in the relay's ingress: bound to the group address,
// IP(V6)_MULTICAST_ALL off and joins by interface index, so the same group:port joined on another
// interface never leaks into this sink.
#include "common/receiver_socket.h"

#include <net/if.h>
#include <netinet/in.h>
#include <sys/time.h>

#include <cerrno>
#include <cstring>

#include "common/socket_calls.h"
#include "net/system_error.h"

namespace mcr::tools {
namespace {

void set_receive_buffer(const Fd& fd, uint64_t bytes) {
  const int value = static_cast<int>(bytes);
  // SO_RCVBUFFORCE passes net.core.rmem_max when we are root; otherwise the kernel caps it.
  if (::setsockopt(fd.get(), SOL_SOCKET, SO_RCVBUFFORCE, &value, sizeof(value)) == 0) return;
  if (errno != EPERM) {
    throw SystemError::perror_style("SO_RCVBUFFORCE " + std::to_string(bytes), errno);
  }
  set_int_option(fd, SOL_SOCKET, SO_RCVBUF, value, "SO_RCVBUF " + std::to_string(bytes));
}

void set_receive_options(const Fd& fd, const SinkOptions& options) {
  if (is_multicast(options.group.ip())) {
    // Several sinks on one host may listen to the same group and port; each gets a copy.
    set_int_option(fd, SOL_SOCKET, SO_REUSEADDR, 1, "SO_REUSEADDR");
  }
  set_receive_buffer(fd, options.rcvbuf_bytes);
  set_int_option(fd, SOL_SOCKET, SO_RXQ_OVFL, 1, "SO_RXQ_OVFL");
  set_int_option(fd, SOL_SOCKET, SO_TIMESTAMPNS, 1, "SO_TIMESTAMPNS");
  timeval poll_interval{};
  poll_interval.tv_usec = kReceivePollIntervalMs * 1000;
  set_socket_option(fd, SOL_SOCKET, SO_RCVTIMEO, &poll_interval, sizeof(poll_interval), "SO_RCVTIMEO");
}

void bind_receiver(const Fd& fd, SocketAddress address, unsigned ifindex, const SinkOptions& options) {
  if (address.scope_id() == 0) address.set_scope_id(ifindex);  // needed for link-local scopes
  if (!is_multicast(address.ip()) && !options.interface.empty()) {
    set_socket_option(fd, SOL_SOCKET, SO_BINDTODEVICE, options.interface.c_str(),
                      static_cast<socklen_t>(options.interface.size()), "SO_BINDTODEVICE " + options.interface);
  }
  if (::bind(fd.get(), address.get(), address.length) != 0) {
    throw SystemError::perror_style(
        "bind to " + format_ip_address(address.ip()) + " port " + std::to_string(address.port()), errno);
  }
}

void join_group(const Fd& fd, const SinkOptions& options, unsigned ifindex) {
  const bool v6 = options.group.family() == AF_INET6;
  const int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
  const std::string where = format_ip_address(options.group.ip()) + " on " +
                            (options.interface.empty() ? "the default interface" : options.interface);
  set_int_option(fd, level, v6 ? IPV6_MULTICAST_ALL : IP_MULTICAST_ALL, 0,
                 v6 ? "IPV6_MULTICAST_ALL" : "IP_MULTICAST_ALL");
  if (options.sources.empty()) {
    group_req request{};
    request.gr_interface = ifindex;
    std::memcpy(&request.gr_group, &options.group.storage, sizeof(request.gr_group));
    set_socket_option(fd, level, MCAST_JOIN_GROUP, &request, sizeof(request), "MCAST_JOIN_GROUP " + where);
    return;
  }
  for (const SocketAddress& source : options.sources) {
    group_source_req request{};
    request.gsr_interface = ifindex;
    std::memcpy(&request.gsr_group, &options.group.storage, sizeof(request.gsr_group));
    std::memcpy(&request.gsr_source, &source.storage, sizeof(request.gsr_source));
    const std::string from = " from " + format_ip_address(source.ip());
    set_socket_option(fd, level, MCAST_JOIN_SOURCE_GROUP, &request, sizeof(request),
                      "MCAST_JOIN_SOURCE_GROUP " + where + from);
  }
}

}  // namespace

Fd open_receiver(const SinkOptions& options) {
  unsigned ifindex = options.interface.empty() ? 0 : resolve_interface(options.interface);
  if (ifindex == 0) ifindex = options.group.scope_id();  // --group ff02::1%veth0
  Fd fd = open_tool_socket(options.group.family());
  set_receive_options(fd, options);
  bind_receiver(fd, options.group, ifindex, options);
  if (is_multicast(options.group.ip())) join_group(fd, options, ifindex);
  return fd;
}

}  // namespace mcr::tools
