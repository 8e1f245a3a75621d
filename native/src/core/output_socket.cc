// Builds output sockets: interface binding (multicast or unicast), loop off, ttl / hop limit,
// DSCP, send buffer and an optional source address.
#include "core/output_socket.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/udp.h>

#include <cerrno>
#include <string>

#include "core/engine.h"
#include "core/interface.h"
#include "net/gso.h"
#include "net/socket_options.h"

namespace mcr {

namespace {

constexpr int kOn = 1;
constexpr int kOff = 0;
// ttl "inherit" sets each datagram's TTL per message; this is only for a datagram whose
// ingress TTL is unknown, and 1 never carries it beyond the next hop.
constexpr int kUnknownInheritedTtl = 1;
constexpr int kDscpShift = 2;  // DSCP is the upper six bits of the TOS / traffic class byte

void tie_to_interface(const OutputSocket& output, bool multicast, const std::string& prefix) {
  const Fd& fd = output.fd;
  const std::string field = prefix + ".interface";
  if (output.destination.family() == AF_INET) {
    if (multicast) {
      ip_mreqn request{};
      request.imr_ifindex = static_cast<int>(output.interface_index);
      set_option(fd, IPPROTO_IP, IP_MULTICAST_IF, request, field, "IP_MULTICAST_IF");
      set_option(fd, IPPROTO_IP, IP_MULTICAST_LOOP, kOff, field, "IP_MULTICAST_LOOP");
    } else {
      const int index = static_cast<int>(htonl(output.interface_index));  // network byte order
      set_option(fd, IPPROTO_IP, IP_UNICAST_IF, index, field, "IP_UNICAST_IF");
    }
    return;
  }
  if (multicast) {
    const int index = static_cast<int>(output.interface_index);
    set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, index, field, "IPV6_MULTICAST_IF");
    set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, kOff, field, "IPV6_MULTICAST_LOOP");
  } else {
    const int index = static_cast<int>(htonl(output.interface_index));  // network byte order too
    set_option(fd, IPPROTO_IPV6, IPV6_UNICAST_IF, index, field, "IPV6_UNICAST_IF");
  }
}

void set_ttl_and_dscp(const OutputSocket& output, const OutputSpec& spec, const std::string& prefix) {
  const Fd& fd = output.fd;
  const int ttl = spec.ttl == kTtlInherit ? kUnknownInheritedTtl : spec.ttl;
  const int traffic_class = spec.dscp << kDscpShift;
  if (output.destination.family() == AF_INET) {
    set_option(fd, IPPROTO_IP, IP_MULTICAST_TTL, ttl, prefix + ".ttl", "IP_MULTICAST_TTL");
    set_option(fd, IPPROTO_IP, IP_TTL, ttl, prefix + ".ttl", "IP_TTL");
    set_option(fd, IPPROTO_IP, IP_TOS, traffic_class, prefix + ".dscp", "IP_TOS");
  } else {
    set_option(fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, ttl, prefix + ".ttl", "IPV6_MULTICAST_HOPS");
    set_option(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, ttl, prefix + ".ttl", "IPV6_UNICAST_HOPS");
    set_option(fd, IPPROTO_IPV6, IPV6_TCLASS, traffic_class, prefix + ".dscp", "IPV6_TCLASS");
  }
}

void bind_source(const OutputSocket& output, const OutputSpec& spec, const std::string& prefix) {
  if (spec.source.empty()) return;
  const std::string field = prefix + ".source";
  const auto source = parse_ip_address(spec.source);
  if (!source)
    throw EngineError(ErrorCode::invalid_spec, field, spec.source,
                      "'" + spec.source + "' is not an IPv4 or IPv6 address");
  // Free-bind: the source may be a VIP that is not (yet) on this node, e.g. during failover.
  if (source->family == AF_INET) {
    set_option(output.fd, IPPROTO_IP, IP_FREEBIND, kOn, field, "IP_FREEBIND");
  } else {
    set_option(output.fd, IPPROTO_IPV6, IPV6_FREEBIND, kOn, field, "IPV6_FREEBIND");
  }
  const SocketAddress address = make_socket_address(*source, 0, output.interface_index);
  if (bind(output.fd.get(), address.get(), address.length) != 0) {
    throw SystemError(field, errno, "cannot send from " + spec.source);
  }
}

// Runtime probe: a kernel without UDP GSO refuses the option (ENOPROTOOPT); 0 = no default
// segment size, so plain sends stay plain. Device limits (checksum offload, IPsec) only show
// on a send, where the forwarder falls back.
unsigned probe_gso(const OutputSocket& output, const std::string& interface) {
  const int no_default_segment = 0;
  if (setsockopt(output.fd.get(), SOL_UDP, UDP_SEGMENT, &no_default_segment, sizeof(no_default_segment)) != 0) {
    return 0;
  }
  return gso_max_segment_bytes(interface_mtu(interface), output.destination.family());
}

}  // namespace

OutputSocket open_output(const OutputSpec& spec, size_t index, int socket_buffer_bytes) {
  const std::string prefix = "outputs[" + std::to_string(index) + "]";
  const auto destination = parse_ip_address(spec.group);
  if (!destination) {
    throw EngineError(ErrorCode::invalid_spec, prefix + ".group", spec.group,
                      "'" + spec.group + "' is not an IPv4 or IPv6 address");
  }
  OutputSocket output;
  output.interface_index = interface_index(spec.interface, prefix + ".interface");
  output.destination = make_socket_address(*destination, static_cast<uint16_t>(spec.port), output.interface_index);
  output.fd = open_udp_socket(destination->family, /*non_blocking=*/false, prefix + ".group");
  tie_to_interface(output, is_multicast(*destination), prefix);
  set_ttl_and_dscp(output, spec, prefix);
  set_buffer_size(output.fd, SO_SNDBUFFORCE, SO_SNDBUF, socket_buffer_bytes, prefix);
  bind_source(output, spec, prefix);
  output.gso_segment_limit = probe_gso(output, spec.interface);
  output.gso_segment_limit_at_open = output.gso_segment_limit;
  return output;
}

}  // namespace mcr
