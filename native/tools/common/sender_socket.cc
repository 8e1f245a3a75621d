// Sender socket set-up for IPv4/IPv6, multicast and unicast destinations.
#include "common/sender_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cerrno>

#include "common/socket_calls.h"
#include "net/system_error.h"

namespace mcr::tools {
namespace {

// Bursts of --batch datagrams should not block on a small default send buffer.
constexpr int kSendBufferBytes = 4 << 20;

void set_ipv4_options(const Fd& fd, const GenOptions& options, unsigned ifindex) {
  const auto ttl = static_cast<int>(options.ttl);
  if (is_multicast(options.destination.ip())) {
    if (ifindex != 0) {
      ip_mreqn request{};
      request.imr_ifindex = static_cast<int>(ifindex);
      set_socket_option(fd, IPPROTO_IP, IP_MULTICAST_IF, &request, sizeof(request),
                        "IP_MULTICAST_IF " + options.interface);
    }
    set_int_option(fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl, "IP_MULTICAST_TTL " + std::to_string(ttl));
    set_int_option(fd, IPPROTO_IP, IP_MULTICAST_LOOP, options.loop ? 1 : 0, "IP_MULTICAST_LOOP");
  } else {
    if (ifindex != 0) {
      // IP_UNICAST_IF takes the index in network byte order.
      set_int_option(fd, IPPROTO_IP, IP_UNICAST_IF, static_cast<int>(htonl(ifindex)),
                     "IP_UNICAST_IF " + options.interface);
    }
    set_int_option(fd, IPPROTO_IP, IP_TTL, ttl, "IP_TTL " + std::to_string(ttl));
  }
  set_int_option(fd, IPPROTO_IP, IP_TOS, static_cast<int>(options.tos), "IP_TOS " + std::to_string(options.tos));
}

void set_ipv6_options(const Fd& fd, const GenOptions& options, unsigned ifindex) {
  const auto hops = static_cast<int>(options.ttl);
  if (is_multicast(options.destination.ip())) {
    if (ifindex != 0) {
      set_int_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, static_cast<int>(ifindex),
                     "IPV6_MULTICAST_IF " + options.interface);
    }
    set_int_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, hops, "IPV6_MULTICAST_HOPS " + std::to_string(hops));
    set_int_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, options.loop ? 1 : 0, "IPV6_MULTICAST_LOOP");
  } else {
    if (ifindex != 0) {
      // Like IP_UNICAST_IF, the kernel reads this index in network byte order.
      set_int_option(fd, IPPROTO_IPV6, IPV6_UNICAST_IF, static_cast<int>(htonl(ifindex)),
                     "IPV6_UNICAST_IF " + options.interface);
    }
    set_int_option(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, hops, "IPV6_UNICAST_HOPS " + std::to_string(hops));
  }
  set_int_option(fd, IPPROTO_IPV6, IPV6_TCLASS, static_cast<int>(options.tos),
                 "IPV6_TCLASS " + std::to_string(options.tos));
}

}  // namespace

Fd open_sender(const GenOptions& options) {
  const unsigned ifindex = options.interface.empty() ? 0 : resolve_interface(options.interface);
  Fd fd = open_tool_socket(options.destination.family());
  // Best effort: the kernel caps it at net.core.wmem_max, which is fine.
  int send_buffer = kSendBufferBytes;
  ::setsockopt(fd.get(), SOL_SOCKET, SO_SNDBUF, &send_buffer, sizeof(send_buffer));
  if (options.destination.family() == AF_INET6) {
    set_ipv6_options(fd, options, ifindex);
  } else {
    set_ipv4_options(fd, options, ifindex);
  }
  if (options.source) {
    if (::bind(fd.get(), options.source->get(), options.source->length) != 0) {
      throw SystemError::perror_style("--bind " + format_ip_address(options.source->ip()), errno);
    }
  }
  SocketAddress destination = options.destination;
  if (destination.scope_id() == 0) destination.set_scope_id(ifindex);  // link-local destinations
  if (::connect(fd.get(), destination.get(), destination.length) != 0) {
    throw SystemError::perror_style(
        "connect to " + format_ip_address(destination.ip()) + " port " + std::to_string(destination.port()), errno);
  }
  return fd;
}

}  // namespace mcr::tools
